import { WhatsAppWebChannel } from '../../../src/channels/whatsapp-web/whatsapp-web.adapter';
import { ManualClock, seededRng } from '../../../src/domain/clock';
import type { InboundMessage } from '../../../src/domain/message';
import { createLogger } from '../../../src/observability/logger';
import { createMemoryStores } from '../../../src/store/memory';
import { FakeWaSocket } from '../../support/fake-wa-socket';

const flush = () => new Promise((r) => setImmediate(r));
const text = (from: string, id: string, body: string, fromMe = false) => ({
  key: { remoteJid: `${from}@s.whatsapp.net`, id, fromMe },
  message: { conversation: body },
});

function setup() {
  const sockets: FakeWaSocket[] = [];
  const handled: InboundMessage[] = [];
  const human: string[] = [];
  const stops: { reason: string; clearAuth: boolean }[] = [];
  const timers: { ms: number; fn: () => void }[] = [];
  const channel = new WhatsAppWebChannel({
    socketFactory: async () => {
      const s = new FakeWaSocket();
      sockets.push(s);
      return s;
    },
    engine: {
      async handle(inbound) {
        handled.push(inbound);
        return {
          replies: [{ text: `jawab ${inbound.text}` }],
          action: 'answer',
          intent: null,
          category: null,
          confidence: null,
          state: 'bot',
          conversationId: 'x',
        };
      },
    },
    dedup: createMemoryStores().dedup,
    clock: new ManualClock(1_000_000),
    rng: seededRng(1),
    logger: createLogger({ level: 'silent' }),
    pacing: { perSecond: 1_000, jitterMs: 0 },
    onHumanReply: async (sender) => void human.push(sender),
    onStopped: async (reason, clearAuth) => void stops.push({ reason, clearAuth }),
    setTimer: (fn, ms) => {
      timers.push({ ms, fn });
      return setTimeout(() => undefined, 0);
    },
  });
  return { channel, sockets, handled, human, stops, timers };
}

describe('WhatsApp Web adapter over a fake socket', () => {
  it('answers a customer once per message id and ignores status broadcasts and groups', async () => {
    const t = setup();
    await t.channel.connect();
    const s = t.sockets[0]!;
    s.upsert([text('6281', 'A1', 'halo'), text('6281', 'A1', 'halo')]);
    s.upsert([{ key: { remoteJid: 'status@broadcast', id: 'S1' }, message: { conversation: 'story' } }]);
    s.upsert([
      {
        key: { remoteJid: '1203@g.us', id: 'G1', participant: '6282@s.whatsapp.net' },
        message: { conversation: 'grup' },
      },
    ]);
    s.upsert([text('6281', 'A1', 'halo')]); // re-delivered after a reconnect
    await flush();
    await flush();
    expect(t.handled.map((m) => m.messageId)).toEqual(['6281:A1']);
    expect(s.sent).toEqual([{ jid: '6281@s.whatsapp.net', text: 'jawab halo', id: 'OUT1' }]);
  });

  it('our own echoed reply is not a human; a fromMe message we did not send is', async () => {
    const t = setup();
    await t.channel.connect();
    const s = t.sockets[0]!;
    s.upsert([text('6281', 'A1', 'halo')]);
    await flush();
    await flush();
    s.upsert([text('6281', 'OUT1', 'jawab halo', true)]);
    await flush();
    expect(t.human).toEqual([]);
    s.upsert([text('6281', 'H1', 'saya bantu ya kak', true)]);
    await flush();
    expect(t.human).toEqual(['6281']);
  });

  it('refuses to write to a number that never wrote first', async () => {
    const t = setup();
    await t.channel.connect();
    await expect(t.channel.send('6289', [{ text: 'promo' }])).rejects.toMatchObject({
      code: 'WHATSAPP_WEB_NOT_OPTED_IN',
    });
    expect(t.sockets[0]!.sent).toEqual([]);
  });

  it('reconnects at once on 515, after backoff on 428, and stops with an alert (no reconnect) on 401', async () => {
    const t = setup();
    await t.channel.connect();
    t.sockets[0]!.close(515);
    await flush();
    expect(t.sockets).toHaveLength(2);
    t.sockets[1]!.close(428);
    await flush();
    expect(t.sockets).toHaveLength(2);
    expect(t.timers).toHaveLength(1);
    expect(t.timers[0]!.ms).toBeGreaterThan(0);
    // While the backoff runs the channel does not claim to be open.
    expect(t.channel.connection).toEqual({ state: 'connecting' });
    t.timers[0]!.fn();
    await flush();
    expect(t.sockets).toHaveLength(3);
    t.sockets[2]!.close(401);
    await flush();
    expect(t.sockets).toHaveLength(3);
    expect(t.stops).toEqual([{ reason: 'logged_out', clearAuth: true }]);
    expect(t.channel.connection).toEqual({ state: 'stopped', reason: 'logged_out' });
  });

  /**
   * Another WhatsApp Web client took the session (440) or WhatsApp refused the number (403): the
   * channel stops at once and for good, with one alert, and keeps the login (unlike 401): no new
   * socket and no retry timer asked for; only a "connect" opens one again.
   */
  it.each([
    { code: 440, reason: 'connection_replaced' },
    { code: 403, reason: 'forbidden' },
  ])('stops on $code ($reason) with one alert, no reconnect and the login kept', async ({ code, reason }) => {
    const t = setup();
    await t.channel.connect();
    t.sockets[0]!.open();
    t.sockets[0]!.close(code);
    await flush();
    expect(t.channel.connection).toEqual({ state: 'stopped', reason });
    expect(t.stops).toEqual([{ reason, clearAuth: false }]);
    expect(t.timers).toEqual([]);
    expect(t.sockets).toHaveLength(1);
    expect(t.channel.isOpen).toBe(false);
    await t.channel.restart();
    expect(t.sockets).toHaveLength(2);
  });

  it('shows the QR for the console while logging in', async () => {
    const t = setup();
    await t.channel.connect();
    t.sockets[0]!.ev.emit('connection.update', { qr: '2@abc' });
    expect(t.channel.connection).toEqual({ state: 'qr', qr: '2@abc' });
    t.sockets[0]!.ev.emit('connection.update', { connection: 'open' });
    expect(t.channel.connection).toEqual({ state: 'open' });
  });
});
