import { newConversation } from '../../src/domain/conversation';
import { isAppError } from '../../src/domain/errors';
import type { NewTicket } from '../../src/domain/ticket';
import { createStores } from '../../src/store';
import type { Stores } from '../../src/store/types';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';

jest.setTimeout(30_000);

/**
 * The test server keeps nothing on disk, so a restart loses all data: that is a property of the
 * test server, not of production (which runs Redis with persistence). What these tests check is
 * the client side: the stores reconnect by themselves, and nothing hangs while Redis is down.
 */
const T0 = Date.UTC(2025, 0, 6, 2, 0, 0);
/** Generous bound for "fails fast": the store's own limits are ~1 s (retries) and 3 s (command timeout). */
const FAST_FAIL_MS = 6_000;

let server: TestRedisServer;
let stores: Stores | undefined;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await stores?.close();
  await server?.stop();
});

it('reconnects by itself after Redis restarts; while it is down, calls fail fast with STORE_UNAVAILABLE', async () => {
  stores = await createStores({ redisUrl: server.url });
  const s = stores;
  const conv = newConversation('telegram', '1001', 'id', T0);
  expect((await s.conversations.save(conv)).version).toBe(1);
  const ticket = await s.tickets.create(sampleTicket(), 'MJ');
  expect(await s.tickets.get(ticket.id)).toEqual(ticket);

  let lateCall: Promise<unknown> | undefined;
  await server.restart(async () => {
    // Redis is really down here: every call must settle with STORE_UNAVAILABLE, and soon.
    for (const call of [
      () => s.conversations.get(conv.id),
      () => s.tickets.create(sampleTicket(), 'MJ'),
      () => s.dedup.firstSeen('telegram:update:9', 60_000),
      () => s.lock.run(conv.id, async () => 'never', { waitMs: 1_000 }),
      () => s.ping(),
    ]) {
      const started = Date.now();
      await expect(call()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(FAST_FAIL_MS);
    }
    // Issued while down, settled after Redis is back: it may have waited for the reconnect.
    lateCall = s.conversations.get(conv.id).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  });

  const late = (await lateCall) as { value?: unknown; error?: unknown };
  if ('error' in late) expect(isAppError(late.error) && late.error.code).toBe('STORE_UNAVAILABLE');
  else expect(late.value).toBeNull(); // the restarted test server is empty

  await eventually(() => s.ping());
  // Everything works again on the same Stores object, without any help from the caller.
  expect(await s.conversations.get(conv.id)).toBeNull();
  const saved = await s.conversations.save(conv);
  expect(await s.conversations.get(conv.id)).toEqual(saved);
  const again = await s.tickets.create(sampleTicket(), 'MJ');
  await s.tickets.appendMessage(again.id, { at: T0 + 10, from: 'customer', text: 'masih menunggu' });
  expect((await s.tickets.listQueue()).map((t) => t.id)).toEqual([again.id]);
  expect(await s.dedup.firstSeen('telegram:update:9', 60_000)).toBe(true);
  expect(await s.lock.run(conv.id, async () => 'locked again', { waitMs: 2_000 })).toBe('locked again');
});

it('refuses to start (STORE_UNAVAILABLE) when Redis is unreachable, instead of hanging', async () => {
  const started = Date.now();
  // Nobody listens on port 1.
  await expect(createStores({ redisUrl: 'redis://127.0.0.1:1' })).rejects.toMatchObject({
    code: 'STORE_UNAVAILABLE',
    message: expect.stringContaining('REDIS_URL'),
  });
  expect(Date.now() - started).toBeLessThan(FAST_FAIL_MS);
});

/** Retries `fn` until it resolves (Redis reconnects with backoff); fails after `timeoutMs`. */
async function eventually(fn: () => Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fn();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function sampleTicket(): NewTicket {
  return {
    conversationId: 'telegram:1001',
    channel: 'telegram',
    senderId: '1001',
    locale: 'id',
    category: 'technical',
    team: 'support_l2',
    priority: 1,
    createdAt: T0,
    slaDeadline: T0 + 3_600_000,
    context: {
      category: 'technical',
      intent: 'error_code',
      confidence: 0.8,
      ranking: [],
      rule: 'handoff:complex_technical',
      originalText: 'error E02',
    },
    messages: [{ at: T0, from: 'customer', text: 'error E02' }],
  };
}
