import path from 'node:path';
import { loadContent } from '../../../src/content/load';
import { ManualClock, seededRng } from '../../../src/domain/clock';
import { conversationId } from '../../../src/domain/conversation';
import { buildBrain, type Brain } from '../../../src/engine/brain';
import { Engine } from '../../../src/engine/engine';
import { HandoffService } from '../../../src/handoff/service';
import { createLogger } from '../../../src/observability/logger';
import { createMemoryStores } from '../../../src/store/memory';

const repo = path.resolve(__dirname, '..', '..', '..');
const channel = { name: 'chat-x', capabilities: { buttons: false, maxButtons: 0, maxButtonLabel: 0, maxTextLength: 4096 } };
let brain: Brain;

beforeAll(async () => {
  const loaded = await loadContent(repo);
  if (!loaded.ok) throw new Error('sample content invalid');
  brain = buildBrain(loaded.content);
});

function setup() {
  const clock = new ManualClock(1_800_000_000_000);
  const stores = createMemoryStores({ clock });
  const handoff = new HandoffService({ stores, clock, routing: () => brain.content.routing });
  const engine = new Engine({
    stores,
    brain: () => brain,
    clock,
    rng: seededRng(3),
    logger: createLogger({ level: 'silent' }),
    maxMessageChars: 4000,
    handoff,
  });
  let n = 0;
  const say = (text: string, sender = '6281111') =>
    engine.handle({ channel: channel.name, senderId: sender, messageId: `m${++n}`, text, receivedAt: clock.now() }, channel);
  return { clock, stores, handoff, engine, say };
}

describe('Engine: a person answering outside the console pauses the bot (channel-neutral)', () => {
  it('after a human reply the bot records customer messages but stays silent, until handed back', async () => {
    const { engine, stores, say, clock } = setup();
    const id = conversationId(channel.name, '6281111');
    expect((await say('harga paket internet brp ya?')).replies.length).toBeGreaterThan(0);

    clock.advance(1_000);
    await engine.humanReplied(channel.name, '6281111', 'Halo Kak, saya bantu langsung ya');
    const paused = await stores.conversations.get(id);
    expect(paused!.humanTakeover).toEqual({ by: 'phone', since: clock.now() });
    expect(paused!.transcript.at(-1)).toMatchObject({ from: 'agent', text: 'Halo Kak, saya bantu langsung ya' });
    expect(await stores.takeovers.list()).toEqual([{ conversationId: id, since: clock.now() }]);

    clock.advance(1_000);
    const silent = await say('harga paket internet brp ya?');
    expect(silent).toMatchObject({ action: 'relay', replies: [], rule: 'takeover:phone', state: 'bot' });
    const after = await stores.conversations.get(id);
    expect(after!.transcript.at(-1)).toMatchObject({ from: 'customer', text: 'harga paket internet brp ya?' });

    // Another customer is not affected.
    expect((await say('harga paket internet brp ya?', '6282222')).replies.length).toBeGreaterThan(0);

    expect(await engine.handBack(id)).toBe(true);
    expect(await engine.handBack(id)).toBe(false);
    expect((await stores.conversations.get(id))!.humanTakeover).toBeUndefined();
    expect(await stores.takeovers.list()).toEqual([]);
    const back = await say('harga paket internet brp ya?');
    expect(back.action).toBe('answer');
    expect(back.replies.length).toBeGreaterThan(0);
  });

  it('a second human reply keeps the first takeover time', async () => {
    const { engine, stores, clock } = setup();
    await engine.humanReplied(channel.name, '6283333', 'Halo');
    const since = clock.now();
    clock.advance(60_000);
    await engine.humanReplied(channel.name, '6283333', 'Sudah saya cek ya Kak');
    const conv = await stores.conversations.get(conversationId(channel.name, '6283333'));
    expect(conv!.humanTakeover!.since).toBe(since);
    expect(conv!.transcript.filter((t) => t.from === 'agent')).toHaveLength(2);
  });

  it('resolving an open ticket of a paused conversation hands it back to the bot', async () => {
    const { engine, stores, handoff, say } = setup();
    const sender = '6284444';
    const id = conversationId(channel.name, sender);
    const queued = await say('saya mau bicara dengan CS manusia', sender);
    expect(queued.action).toBe('handoff');
    expect(queued.ticketId).toBeDefined();
    await engine.humanReplied(channel.name, sender, 'Saya dari toko, sebentar ya Kak');
    // The ticket sees what was said on the phone.
    expect((await stores.tickets.get(queued.ticketId!))!.messages.at(-1)).toMatchObject({
      from: 'agent',
      text: 'Saya dari toko, sebentar ya Kak',
    });
    expect((await stores.conversations.get(id))!.humanTakeover).toBeDefined();
    const member = { id: 'sari', role: 'agent' as const, teams: Object.keys(brain.content.routing.teams) };
    expect((await handoff.claim(queued.ticketId!, member)).ok).toBe(true);
    await handoff.resolve(queued.ticketId!, member);
    const conv = await stores.conversations.get(id);
    expect(conv!.state).toBe('bot');
    expect(conv!.humanTakeover).toBeUndefined();
    expect(await stores.takeovers.list()).toEqual([]);
  });
});
