/**
 * WhatsApp Web (Baileys) through the real app wiring, over a fake socket (`FakeWaSocket`: events
 * in, sends recorded), on the memory store and on a real redis-server: the console's login page
 * (QR, pairing code, log out, connect again), customers answered once per message id, an agent's
 * reply from the console, nothing to numbers that never wrote, the business phone pausing the bot
 * until it is handed back, the stops (logged out, replaced, forbidden) that never loop, and the
 * numbered-menu clarification round trip.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { DEFAULT_BACKOFF, DISCONNECT, whatsappWebStopMessage } from '../../src/channels/whatsapp-web/reconnect';
import type { LiveEvent } from '../../src/domain/live-event';
import type { RunningServer } from '../../src/server';
import { startTestApp } from '../support/app';
import { call, login, PASSWORD } from '../support/console';
import { FakeWaSocket } from '../support/fake-wa-socket';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';

const WA_ENV = { WHATSAPP_WEB_ENABLED: 'true', WHATSAPP_WEB_ACCEPT_RISK: 'i-understand-the-ban-risk' };
const FAST = { leaseTtlMs: 600, leaseTickMs: 100, boardPollMs: 50 };

let redis: TestRedisServer;
let redisDb = 0;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

/** Waits for `check` to hold (the adapter answers asynchronously after an upsert). */
async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the app with WhatsApp Web on a fake socket; `sockets` collects every socket it opens. */
async function startWaApp(env: Record<string, string>, options: { instanceId?: string; timing?: typeof FAST } = {}) {
  const sockets: FakeWaSocket[] = [];
  const app = await startTestApp({
    env: { ...WA_ENV, ...env },
    whatsappWebSocket: async () => {
      const socket = new FakeWaSocket();
      sockets.push(socket);
      return socket;
    },
    whatsappWebTiming: options.timing ?? FAST,
    instanceId: options.instanceId,
  });
  return { app, sockets };
}

const backends = [
  { name: 'memory', env: () => ({ DEMO_PASSWORD: PASSWORD }) },
  { name: 'redis', env: () => ({ REDIS_URL: `${redis.url}/${++redisDb}` }) },
];

describe.each(backends)('WhatsApp Web channel over a fake socket ($name store)', (backend) => {
  let app: RunningServer;
  let sockets: FakeWaSocket[];
  let socket: FakeWaSocket;
  let n = 0;
  const phone = () => `62812${String(Date.now()).slice(-5)}${++n}`;
  const sentTo = (to: string) => socket.sent.filter((s) => s.jid === `${to}@s.whatsapp.net`);

  beforeAll(async () => {
    ({ app, sockets } = await startWaApp(backend.env()));
    if (backend.name === 'redis') {
      await app.auth.createUser({
        username: 'admin',
        displayName: 'Admin',
        role: 'admin',
        teams: [],
        password: PASSWORD,
      });
      await app.auth.createUser({
        username: 'supervisor',
        displayName: 'Sari',
        role: 'supervisor',
        teams: ['supervisor'],
        password: PASSWORD,
      });
      await app.auth.createUser({
        username: 'agent1',
        displayName: 'Budi',
        role: 'agent',
        teams: ['frontline'],
        password: PASSWORD,
      });
    }
    socket = await until(() => sockets[0], 'the socket');
  });
  afterAll(async () => {
    await app.close();
  });

  it('logs in from the console: the QR as an image, then a pairing code, then open', async () => {
    const admin = await login(app, 'admin');
    const agent = await login(app, 'agent1');
    expect((await call(app, 'GET', '/api/channels/whatsapp-web', { as: agent })).status).toBe(403);

    socket.ev.emit('connection.update', { qr: '2@abc,def,ghi' });
    const qr = await call(app, 'GET', '/api/channels/whatsapp-web', { as: admin });
    expect(qr.status).toBe(200);
    expect(qr.body).toMatchObject({ enabled: true, session: 'main', ownedHere: true, connection: { state: 'qr' } });
    expect(qr.body.qrImage).toMatch(/^data:image\/png;base64,/);

    const bad = await call(app, 'POST', '/api/channels/whatsapp-web/pairing-code', {
      as: admin,
      body: { phone: '0812' },
    });
    expect(bad.status).toBe(400);
    const paired = await call(app, 'POST', '/api/channels/whatsapp-web/pairing-code', {
      as: admin,
      body: { phone: '+62 811-0000-1111' },
    });
    expect(paired.status).toBe(200);
    expect(socket.pairingRequests).toEqual(['6281100001111']);
    const code = await call(app, 'GET', '/api/channels/whatsapp-web', { as: admin });
    expect(code.body.connection).toEqual({ state: 'pairing', code: 'ABCD1234', phone: '6281100001111' });
    expect(code.body.qrImage).toBeUndefined();

    socket.open('6281100001111');
    const open = await call(app, 'GET', '/api/channels/whatsapp-web', { as: admin });
    expect(open.body.connection).toEqual({ state: 'open', me: '6281100001111' });
    const audit = await call(app, 'GET', '/api/audit?action=whatsapp_web', { as: admin });
    expect(JSON.stringify(audit.body)).not.toContain('6281100001111');
  });

  it('answers a customer once per message id, and writes to nobody who never wrote', async () => {
    const customer = phone();
    socket.upsert([FakeWaSocket.text(customer, 'M1', 'jam buka toko jam berapa kak?')]);
    socket.upsert([FakeWaSocket.text(customer, 'M1', 'jam buka toko jam berapa kak?')]);
    const replies = await until(() => sentTo(customer).length > 0 && sentTo(customer), 'the reply');
    await sleep(150);
    expect(sentTo(customer)).toHaveLength(replies.length);
    const conv = await app.stores.conversations.get(`whatsapp-web:${customer}`);
    expect(conv?.transcript.filter((t) => t.from === 'customer')).toHaveLength(1);
    expect(conv?.customerName).toBe('Kak Wati');

    await expect(app.channels.send('whatsapp-web', '6289900000000', [{ text: 'Promo!' }])).rejects.toMatchObject({
      code: 'WHATSAPP_WEB_NOT_OPTED_IN',
    });
    expect(sentTo('6289900000000')).toHaveLength(0);
  });

  it("hands a complaint to a person and delivers the agent's console reply on WhatsApp", async () => {
    const customer = phone();
    socket.upsert([
      FakeWaSocket.text(customer, 'C1', 'pelayanan teknisi kalian sangat mengecewakan, saya kecewa berat'),
    ]);
    const conv = await until(async () => {
      const c = await app.stores.conversations.get(`whatsapp-web:${customer}`);
      return c?.ticketId ? c : undefined;
    }, 'the handoff');
    await until(() => sentTo(customer).length > 0, 'the handoff message');
    const supervisor = await login(app, 'supervisor');
    expect((await call(app, 'POST', `/api/tickets/${conv.ticketId}/claim`, { as: supervisor })).status).toBe(200);
    const before = sentTo(customer).length;
    const reply = await call(app, 'POST', `/api/tickets/${conv.ticketId}/reply`, {
      as: supervisor,
      body: { text: 'Mohon maaf Kak, saya cek dulu jadwal teknisinya ya.' },
    });
    expect(reply.status).toBe(200);
    const sent = await until(() => sentTo(customer).length > before && sentTo(customer).at(-1), 'the agent reply');
    expect(sent.text).toMatch(/^\*Sari.*\*: Mohon maaf Kak, saya cek dulu jadwal teknisinya ya\.$/);
  });

  it('a message typed on the business phone pauses the bot until an agent hands it back', async () => {
    const customer = phone();
    socket.upsert([FakeWaSocket.text(customer, 'P1', 'alamat toko dimana kak?')]);
    await until(() => sentTo(customer).length > 0, 'the first answer');
    // Our own reply echoed back as fromMe is not a human.
    const ours = sentTo(customer)[0]!;
    socket.upsert([FakeWaSocket.text(customer, ours.id, ours.text, true)], 'append');
    await sleep(100);
    expect((await app.stores.conversations.get(`whatsapp-web:${customer}`))?.humanTakeover).toBeUndefined();

    socket.upsert([FakeWaSocket.text(customer, 'HUMAN1', 'Halo Kak, saya Rina dari toko 🙏', true)], 'append');
    await until(async () => (await app.stores.conversations.get(`whatsapp-web:${customer}`))?.humanTakeover, 'pause');
    const count = sentTo(customer).length;
    socket.upsert([FakeWaSocket.text(customer, 'P2', 'oh iya kak, barangnya ready?')]);
    await until(async () => {
      const c = await app.stores.conversations.get(`whatsapp-web:${customer}`);
      return c?.transcript.some((t) => t.text === 'oh iya kak, barangnya ready?');
    }, 'the customer turn');
    await sleep(100);
    expect(sentTo(customer)).toHaveLength(count);

    const agent = await login(app, 'agent1');
    const back = await call(app, 'POST', `/api/conversations/whatsapp-web:${customer}/hand-back`, { as: agent });
    expect(back.body).toEqual({ conversationId: `whatsapp-web:${customer}`, handedBack: true });
    socket.upsert([FakeWaSocket.text(customer, 'P3', 'jam buka toko jam berapa kak?')]);
    await until(() => sentTo(customer).length > count, 'the bot answering again');
  });

  it('log out stops without a reconnect loop, wipes the login, alerts supervisors; connect shows a new QR', async () => {
    const admin = await login(app, 'admin');
    await app.stores.whatsappAuth.setCreds('main', { registered: true });
    const alerts: LiveEvent[] = [];
    const unsubscribe = await app.stores.events.subscribe((e) => alerts.push(e));
    try {
      const out = await call(app, 'POST', '/api/channels/whatsapp-web/logout', { as: admin });
      expect(out.status).toBe(200);
      const stopped = await call(app, 'GET', '/api/channels/whatsapp-web', { as: admin });
      expect(stopped.body.connection).toEqual({ state: 'stopped', reason: 'logged_out' });
      await until(async () => (await app.stores.whatsappAuth.getCreds('main')) === null, 'the wiped login');
      const alert = await until(
        () => alerts.find((e) => e.type === 'supervisor_alert' && e.alert === 'whatsapp_web_stopped'),
        'the alert',
      );
      expect(alert).toMatchObject({
        message: { id: expect.stringMatching(/QR baru/), en: expect.stringMatching(/new QR/) },
      });
      await sleep(200);
      expect(sockets).toHaveLength(1);

      const again = await call(app, 'POST', '/api/channels/whatsapp-web/connect', { as: admin });
      expect(again.status).toBe(200);
      expect(sockets).toHaveLength(2);
      socket = sockets[1]!;
      socket.ev.emit('connection.update', { qr: '2@new' });
      expect((await call(app, 'GET', '/api/channels/whatsapp-web', { as: admin })).body.connection).toEqual({
        state: 'qr',
        qr: '2@new',
      });
      socket.open();
    } finally {
      unsubscribe();
    }
  });

  /**
   * Another WhatsApp Web client took the session over (440), or WhatsApp refused the number
   * (403, most likely a ban): the channel stops for good with one supervisor alert, opens no new
   * socket even after the backoff a lost connection would wait, and keeps the stored login (only
   * 401, 500 and 411 wipe it), so "connect" resumes without a new QR.
   */
  it.each([
    { code: DISCONNECT.connectionReplaced, reason: 'connection_replaced' as const },
    { code: DISCONNECT.forbidden, reason: 'forbidden' as const },
  ])(
    'a $code close ($reason) stops once without a reconnect loop, alerts supervisors, keeps the login',
    async ({ code, reason }) => {
      const admin = await login(app, 'admin');
      socket.open('6281100001111');
      const creds = { registered: true, me: { id: '6281100001111:7@s.whatsapp.net' }, noiseKey: Buffer.from([1, 2]) };
      await app.stores.whatsappAuth.setCreds('main', creds);
      await app.stores.whatsappAuth.setKeys('main', { 'pre-key': { '1': { private: Buffer.from([3]) } } });
      const alerts: LiveEvent[] = [];
      const unsubscribe = await app.stores.events.subscribe((e) => alerts.push(e));
      const stopAlerts = () =>
        alerts.filter((e) => e.type === 'supervisor_alert' && e.alert === 'whatsapp_web_stopped');
      const opened = sockets.length;
      try {
        socket.close(code);
        const stopped = await call(app, 'GET', '/api/channels/whatsapp-web', { as: admin });
        expect(stopped.body.connection).toEqual({ state: 'stopped', reason });
        // What another instance's console reads: the owner's status on the board.
        const posted = await until(async () => {
          const p = (await app.stores.whatsappBoard.getStatus('main')) as { connection: { state: string } } | null;
          return p?.connection.state === 'stopped' && p;
        }, 'the posted stop');
        expect(posted.connection).toEqual({ state: 'stopped', reason });
        await until(() => stopAlerts().length > 0, 'the alert');
        // Longer than the first backoff step (with jitter) a lost connection would wait.
        await sleep(DEFAULT_BACKOFF.baseMs * (1 + DEFAULT_BACKOFF.jitter) + 300);
        expect(sockets).toHaveLength(opened);
        expect(stopAlerts()).toHaveLength(1);
        expect(stopAlerts()[0]).toMatchObject({ message: whatsappWebStopMessage(reason) });
        expect((await call(app, 'GET', '/api/channels/whatsapp-web', { as: admin })).body.connection).toEqual({
          state: 'stopped',
          reason,
        });
        expect(await app.stores.whatsappAuth.getCreds('main')).toEqual(creds);
        expect(await app.stores.whatsappAuth.getKeys('main', 'pre-key', ['1'])).toEqual({
          '1': { private: Buffer.from([3]) },
        });

        const again = await call(app, 'POST', '/api/channels/whatsapp-web/connect', { as: admin });
        expect(again.status).toBe(200);
        expect(sockets).toHaveLength(opened + 1);
        socket = sockets.at(-1)!;
        socket.open('6281100001111');
        expect((await call(app, 'GET', '/api/channels/whatsapp-web', { as: admin })).body.connection).toEqual({
          state: 'open',
          me: '6281100001111',
        });
      } finally {
        unsubscribe();
      }
    },
  );
});

describe('WhatsApp Web clarification as a numbered menu', () => {
  let dir: string;
  let app: RunningServer;
  let socket: FakeWaSocket;

  beforeAll(async () => {
    // Every ordinary message is "unsure" with the answer threshold at 1 (as in clarify-once).
    dir = mkdtempSync(path.join(tmpdir(), 'mj-wa-menu-'));
    const repo = path.resolve(__dirname, '..', '..');
    cpSync(path.join(repo, 'intents'), path.join(dir, 'intents'), { recursive: true });
    cpSync(path.join(repo, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const routingPath = path.join(dir, 'intents', 'routing.yaml');
    const doc = parseDocument(readFileSync(routingPath, 'utf8'));
    doc.setIn(['thresholds', 'answer'], 1);
    for (const item of (doc.get('categories') as { items: { key: unknown }[] }).items) {
      doc.deleteIn(['categories', String((item.key as { value: string }).value ?? item.key), 'thresholds']);
    }
    writeFileSync(routingPath, doc.toString());
    const started = await startWaApp({ CONTENT_DIR: dir });
    app = started.app;
    socket = await until(() => started.sockets[0], 'the socket');
    socket.open();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks with numbered lines and "reply with a number", and "2" answers the second topic', async () => {
    const customer = '6281300002222';
    socket.upsert([FakeWaSocket.text(customer, 'Q1', 'jam buka toko brp kak?')]);
    const question = await until(() => socket.sent.find((s) => s.jid.startsWith(customer)), 'the question');
    const lines = question.text.split('\n');
    const numbered = lines.filter((l) => /^\d\. /.test(l));
    expect(numbered.length).toBeGreaterThanOrEqual(2);
    expect(numbered.map((l) => l.slice(0, 2))).toEqual(numbered.map((_, i) => `${i + 1}.`));
    expect(question.text).toMatch(/angka 1/);

    socket.upsert([FakeWaSocket.text(customer, 'Q2', '2')]);
    await until(() => socket.sent.filter((s) => s.jid.startsWith(customer)).length > 1, 'the answer');
    const conv = (await app.stores.conversations.get(`whatsapp-web:${customer}`))!;
    const answered = conv.transcript.filter((t) => t.from === 'customer').at(-1)!;
    expect(answered.meta?.rule).toMatch(/clarified_choice$/);
    expect(conv.clarification).toBeUndefined();
  });
});

describe('WhatsApp Web between two app instances on one Redis', () => {
  it('one owns the socket; a reply composed on the other goes out through it; the other takes over', async () => {
    const env = { REDIS_URL: `${redis.url}/${++redisDb}` };
    // Both instances share this process, so one's start (NLU training) blocks the other's renewals:
    // the lease must outlive that; a clean close hands it over at the next tick anyway.
    const timing = { ...FAST, leaseTtlMs: 10_000 };
    const a = await startWaApp(env, { instanceId: 'A', timing });
    const b = await startWaApp(env, { instanceId: 'B', timing });
    try {
      const socketA = await until(() => a.sockets[0], 'the owner socket');
      socketA.open('6281100003333');
      await sleep(FAST.leaseTickMs * 3);
      expect(b.sockets).toHaveLength(0);
      expect(a.app.whatsappWeb?.ownsSocket).toBe(true);
      expect(b.app.whatsappWeb?.ownsSocket).toBe(false);
      const seenFromB = await until(async () => {
        const v = await b.app.whatsappWeb!.view();
        return v.connection?.state === 'open' ? v : undefined;
      }, "B seeing A's status");
      expect(seenFromB).toMatchObject({ owner: 'A', ownedHere: false, connection: { me: '6281100003333' } });

      const customer = '6281400004444';
      socketA.upsert([FakeWaSocket.text(customer, 'X1', 'alamat toko dimana kak?')]);
      await until(() => socketA.sent.some((s) => s.jid.startsWith(customer)), 'the bot answer');
      await b.app.channels.send('whatsapp-web', customer, [
        { text: 'Halo Kak, ini dari instance B', from: { kind: 'agent', name: 'Budi' } },
      ]);
      const relayed = await until(
        () => socketA.sent.find((s) => s.text.includes('instance B')),
        'the reply relayed through the owner',
      );
      expect(relayed).toMatchObject({
        jid: `${customer}@s.whatsapp.net`,
        text: '*Budi*: Halo Kak, ini dari instance B',
      });

      // A stops (a deploy): its socket closes, it releases the lease, and B opens its own.
      await a.app.close();
      expect(socketA.ended).toBe(true);
      const socketB = await until(() => b.sockets[0], 'the take-over');
      socketB.open('6281100003333');
      expect(b.app.whatsappWeb?.ownsSocket).toBe(true);
    } finally {
      await b.app.close();
      await a.app.close().catch(() => undefined);
    }
  });
});
