import type { User } from '../../src/auth/user';
import type { ManualClock } from '../../src/domain/clock';
import { newConversation, type Conversation, type Turn } from '../../src/domain/conversation';
import type { NewTicket, Ticket } from '../../src/domain/ticket';
import type { Stores } from '../../src/store/types';

/** What each implementation's test file hands to the contract suite, fresh for every test. */
export interface ContractFixture {
  stores: Stores;
  /** Another instance over the same data (memory: the same object; Redis: a second client). */
  second?: Stores;
  /** Set when the stores read this clock for TTLs: expiry is then tested by moving it, not sleeping. */
  clock?: ManualClock;
  /** The clock both instances stamp ticket times with (`updatedAt`, history `at`, SLA marks). */
  stampClock: ManualClock;
  /** Callers holding or waiting on a lock key, so a test can order calls across instances without sleeping. */
  lockQueueLength(key: string): Promise<number>;
  /**
   * Only for stores shared between processes: takes `key` from a third instance that then
   * "crashes" (stops renewing and never releases). `cleanup` ends that instance.
   */
  crashHolder?(key: string, leaseMs: number): Promise<{ cleanup(): Promise<void> }>;
  cleanup(): Promise<void>;
}

export interface ContractOptions {
  /** The fixture provides `crashHolder`: run the crashed-holder lease test. */
  holderCrash?: boolean;
}

/** Monday 6 January 2025, 09:00 in Jakarta (UTC+7). */
export const T0 = Date.UTC(2025, 0, 6, 2, 0, 0);

/**
 * The one suite every store implementation must pass (memory and Redis), so the engine can rely on
 * the `Stores` contract without knowing which one it got.
 */
export function describeStoreContract(
  name: string,
  makeStores: () => Promise<ContractFixture>,
  options: ContractOptions = {},
): void {
  describe(`store contract: ${name}`, () => {
    let fx: ContractFixture;
    let a: Stores;
    let b: Stores;

    beforeEach(async () => {
      fx = await makeStores();
      a = fx.stores;
      b = fx.second ?? fx.stores;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('answers ping', async () => {
      await expect(a.ping()).resolves.toBeUndefined();
      await expect(b.ping()).resolves.toBeUndefined();
    });

    describe('conversations', () => {
      it('returns null for an unknown id', async () => {
        expect(await a.conversations.get('telegram:unknown')).toBeNull();
      });

      it('saves a new conversation as version 1, readable from the other instance', async () => {
        const conv = sampleConversation('telegram:1001');
        const saved = await a.conversations.save(conv);
        expect(saved).toEqual({ ...conv, version: 1 });
        expect(await b.conversations.get(conv.id)).toEqual(saved);
      });

      it('bumps the version on each save and rejects a stale version with STORE_CONFLICT', async () => {
        const v1 = await a.conversations.save(sampleConversation('wa:62811'));
        const v2 = await b.conversations.save({ ...v1, state: 'clarifying', updatedAt: T0 + 1000 });
        expect(v2.version).toBe(2);
        await expect(a.conversations.save({ ...v1, customerName: 'Budi' })).rejects.toMatchObject({
          code: 'STORE_CONFLICT',
        });
        await expect(a.conversations.save(sampleConversation('wa:62811'))).rejects.toMatchObject({
          code: 'STORE_CONFLICT',
        });
        expect(await a.conversations.get('wa:62811')).toEqual(v2);
      });

      it('lets exactly one of several saves from the same version win, across instances', async () => {
        const v1 = await a.conversations.save(sampleConversation('telegram:race'));
        const states = ['queued', 'with_agent', 'verifying', 'bot', 'clarifying', 'queued'] as const;
        const results = await Promise.allSettled(
          states.map((state, i) => (i % 2 ? b : a).conversations.save({ ...v1, state, updatedAt: T0 + i })),
        );
        const won = results.filter((r): r is PromiseFulfilledResult<Conversation> => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost.map((r) => (r.reason as { code?: string }).code)).toEqual(
          Array(states.length - 1).fill('STORE_CONFLICT'),
        );
        expect(won[0]!.value.version).toBe(2);
        expect(await b.conversations.get('telegram:race')).toEqual(won[0]!.value);
      });

      it('keeps the stored copy independent of the objects callers hold', async () => {
        const conv = sampleConversation('web:abc');
        const saved = await a.conversations.save(conv);
        conv.transcript.push(turn('customer', 'diubah setelah disimpan', T0 + 5));
        saved.transcript.push(turn('customer', 'diubah juga', T0 + 6));
        const read = await a.conversations.get('web:abc');
        expect(read?.transcript).toHaveLength(1);
        read!.state = 'queued';
        expect((await a.conversations.get('web:abc'))?.state).toBe('bot');
      });
    });

    describe('conversation under its lock (withLock)', () => {
      it('hands fn the stored document (null when new) and saves with saveAndRelease, readable elsewhere', async () => {
        const id = 'telegram:edit';
        const first = await a.conversations.withLock(id, async ({ stored, saveAndRelease }) => {
          expect(stored).toBeNull();
          return saveAndRelease(sampleConversation(id));
        });
        expect(first.version).toBe(1);
        const second = await b.conversations.withLock(id, async ({ stored, saveAndRelease }) => {
          expect(stored).toEqual(first);
          return saveAndRelease({ ...stored!, state: 'queued' });
        });
        expect(second).toMatchObject({ version: 2, state: 'queued' });
        expect(await a.conversations.get(id)).toEqual(second);
        expect(await fx.lockQueueLength(id)).toBe(0);
      });

      it('reads the document when the lock is taken, so a waiter works from what the holder before it saved', async () => {
        const id = 'wa:62812';
        const gate = deferred();
        const holder = a.conversations.withLock(id, async ({ saveAndRelease }) => {
          await gate.promise;
          return saveAndRelease(sampleConversation(id));
        });
        await until(async () => (await fx.lockQueueLength(id)) === 1);
        const waiter = b.conversations.withLock(id, async ({ stored, saveAndRelease }) => {
          expect(stored?.version).toBe(1);
          return saveAndRelease({ ...stored!, customerName: 'Budi' });
        });
        await until(async () => (await fx.lockQueueLength(id)) === 2);
        gate.resolve();
        await holder;
        await expect(waiter).resolves.toMatchObject({ version: 2, customerName: 'Budi' });
      });

      it('lets the next caller in line run as soon as saveAndRelease settles, before fn returns', async () => {
        const id = 'telegram:early';
        const events: string[] = [];
        const afterSave = deferred();
        const holder = a.conversations.withLock(id, async ({ saveAndRelease }) => {
          events.push('holder start');
          await saveAndRelease(sampleConversation(id));
          await afterSave.promise; // e.g. logging: needs no lock
          events.push('holder end');
        });
        await until(async () => events.length === 1);
        await b.lock.run(id, async () => events.push('next ran'), { waitMs: 5_000 });
        expect(events).toEqual(['holder start', 'next ran']);
        afterSave.resolve();
        await holder;
        expect(await fx.lockQueueLength(id)).toBe(0);
      });

      it('is the same lock as lock.run: one at a time, in call order, mixed across instances', async () => {
        const id = 'telegram:mixed';
        const events: string[] = [];
        let active = 0;
        let maxActive = 0;
        const gate = deferred();
        const enter = async (i: number) => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          events.push(`start ${i}`);
          if (i === 0) await gate.promise;
          else await sleep(3);
        };
        const leave = (i: number) => {
          events.push(`end ${i}`);
          active -= 1;
          return i;
        };
        const call = (i: number): Promise<number> => {
          const stores = i % 2 ? b : a;
          if (i % 3 === 1) {
            return stores.lock.run(id, async () => {
              await enter(i);
              return leave(i);
            });
          }
          return stores.conversations.withLock(id, async ({ stored, saveAndRelease }) => {
            await enter(i);
            // Active ends before the save, which hands the lock on.
            const conv = stored ?? sampleConversation(id);
            leave(i);
            await saveAndRelease({ ...conv, transcript: [...conv.transcript, turn('customer', `m${i}`, T0 + i)] });
            return i;
          });
        };
        const calls = [call(0)];
        await until(async () => (await fx.lockQueueLength(id)) === 1 && events.length === 1);
        for (let i = 1; i <= 6; i++) {
          calls.push(call(i));
          await until(async () => (await fx.lockQueueLength(id)) === i + 1);
        }
        gate.resolve();
        expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expect(events).toEqual(Array.from({ length: 7 }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
        expect(maxActive).toBe(1);
        // Every withLock call (0, 2, 3, 5, 6) saved on top of the one before it.
        const stored = await a.conversations.get(id);
        expect(stored?.version).toBe(5);
        expect(stored?.transcript.slice(1).map((t) => t.text)).toEqual(['m0', 'm2', 'm3', 'm5', 'm6']);
        expect(await fx.lockQueueLength(id)).toBe(0);
      });

      it('rejects a stale save with STORE_CONFLICT, writes nothing, and still releases the lock', async () => {
        const id = 'web:stale';
        const v1 = await a.conversations.save(sampleConversation(id));
        await expect(
          a.conversations.withLock(id, async ({ saveAndRelease }) => saveAndRelease({ ...v1, version: 0 })),
        ).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
        expect(await b.conversations.get(id)).toEqual(v1);
        await expect(b.lock.run(id, async () => 'next', { waitMs: 2_000 })).resolves.toBe('next');
        expect(await fx.lockQueueLength(id)).toBe(0);
      });

      it('releases the lock when fn throws or returns without saving; refuses a second save', async () => {
        const id = 'telegram:nosave';
        await expect(
          a.conversations.withLock(id, async () => {
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        await expect(b.conversations.withLock(id, async () => 'no save', { waitMs: 2_000 })).resolves.toBe('no save');
        await expect(
          a.conversations.withLock(id, async ({ saveAndRelease }) => {
            const saved = await saveAndRelease(sampleConversation(id));
            return saveAndRelease(saved);
          }),
        ).rejects.toMatchObject({ code: 'INTERNAL' });
        expect((await b.conversations.get(id))?.version).toBe(1);
        await expect(b.lock.run(id, async () => 'next', { waitMs: 2_000 })).resolves.toBe('next');
        expect(await fx.lockQueueLength(id)).toBe(0);
      });

      it('gives a waiter LOCK_TIMEOUT after waitMs without running it', async () => {
        const id = 'wa:busy-edit';
        const gate = deferred();
        const holder = a.lock.run(id, () => gate.promise);
        await until(async () => (await fx.lockQueueLength(id)) === 1);
        let ran = false;
        await expect(b.conversations.withLock(id, async () => (ran = true), { waitMs: 50 })).rejects.toMatchObject({
          code: 'LOCK_TIMEOUT',
        });
        expect(ran).toBe(false);
        gate.resolve();
        await holder;
        expect(await fx.lockQueueLength(id)).toBe(0);
      });
    });

    describe('tickets', () => {
      it('creates a ticket with an id, a number and status new, readable from the other instance', async () => {
        const input = sampleTicket({ customerName: 'Sari' });
        const created = await a.tickets.create(input, 'MJ');
        expect(created).toEqual({
          ...input,
          id: expect.any(String),
          number: 'MJ-000001',
          status: 'new',
          history: [],
          notes: [],
          updatedAt: fx.stampClock.now(),
        });
        expect(created.id.length).toBeGreaterThan(0);
        expect(await b.tickets.get(created.id)).toEqual(created);
        expect(await a.tickets.get('no-such-ticket')).toBeNull();
      });

      it('assigns unique sequential numbers under 30 concurrent creates from two instances', async () => {
        const created = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            (i % 2 ? b : a).tickets.create(sampleTicket({ createdAt: T0 + i }), 'MJ'),
          ),
        );
        const numbers = created.map((t) => t.number).sort();
        expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => `MJ-${String(i + 1).padStart(6, '0')}`));
        expect(new Set(created.map((t) => t.id)).size).toBe(30);
        // Each number prefix has its own sequence.
        expect((await b.tickets.create(sampleTicket(), 'ISP')).number).toBe('ISP-000001');
      });

      it('appends messages in order and rejects an unknown ticket with NOT_FOUND', async () => {
        const created = await a.tickets.create(sampleTicket(), 'MJ');
        const extra = [
          turn('customer', 'halo kak, ada kabar?', T0 + 60_000),
          turn('customer', 'saya tunggu ya', T0 + 120_000),
          turn('customer', 'terima kasih', T0 + 180_000),
        ];
        for (const [i, t] of extra.entries()) await (i % 2 ? b : a).tickets.appendMessage(created.id, t);
        const read = await b.tickets.get(created.id);
        expect(read?.messages).toEqual([...created.messages, ...extra]);
        await expect(a.tickets.appendMessage('no-such-ticket', extra[0]!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        expect(await a.tickets.get('no-such-ticket')).toBeNull();
      });

      it('lists the queue by priority, then SLA deadline, then arrival, with a team filter and a limit', async () => {
        const D = T0 + 3_600_000;
        const make = async (s: Stores, over: Partial<NewTicket>) => s.tickets.create(sampleTicket(over), 'MJ');
        // Created in an order unlike the queue order; letters name the expected queue position.
        const a5 = await make(a, { priority: 2, slaDeadline: D + 100, createdAt: T0, team: 'billing' });
        const b2 = await make(b, { priority: 1, slaDeadline: D + 10, createdAt: T0 + 1, team: 'billing' });
        const c3 = await make(a, { priority: 2, slaDeadline: D + 50, createdAt: T0 + 9, team: 'support' });
        const a1 = await make(b, {
          priority: 0,
          slaDeadline: D + 500,
          createdAt: T0 + 5,
          team: 'oncall',
          category: 'emergency',
        });
        const d4 = await make(a, { priority: 2, slaDeadline: D + 100, createdAt: T0 - 3, team: 'support' });
        const e6 = await make(b, { priority: 2, slaDeadline: D + 100, createdAt: T0, team: 'billing' }); // same as a5 but later
        const ids = (list: Ticket[]) => list.map((t) => t.id);

        const queue = await a.tickets.listQueue();
        expect(ids(queue)).toEqual([a1, b2, c3, d4, a5, e6].map((t) => t.id));
        expect(queue[0]).toEqual(a1);
        expect(ids(await b.tickets.listQueue())).toEqual(ids(queue));
        expect(ids(await b.tickets.listQueue({ team: 'billing' }))).toEqual([b2.id, a5.id, e6.id]);
        expect(ids(await a.tickets.listQueue({ team: 'support' }))).toEqual([c3.id, d4.id]);
        expect(await a.tickets.listQueue({ team: 'nobody' })).toEqual([]);
        expect(ids(await a.tickets.listQueue({ limit: 2 }))).toEqual([a1.id, b2.id]);
        expect(ids(await a.tickets.listQueue({ team: 'billing', limit: 1 }))).toEqual([b2.id]);
      });

      it('returns an empty queue when nothing is waiting', async () => {
        expect(await a.tickets.listQueue()).toEqual([]);
      });
    });

    describe('dedup', () => {
      it('sees a key first once, then reports repeats from either instance', async () => {
        expect(await a.dedup.firstSeen('telegram:update:1', 60_000)).toBe(true);
        expect(await a.dedup.firstSeen('telegram:update:1', 60_000)).toBe(false);
        expect(await b.dedup.firstSeen('telegram:update:1', 60_000)).toBe(false);
        expect(await b.dedup.firstSeen('telegram:update:2', 60_000)).toBe(true);
      });

      it('treats a key as new again once its TTL has passed', async () => {
        expect(await a.dedup.firstSeen('wa:wamid.1', 50)).toBe(true);
        if (fx.clock) {
          fx.clock.advance(49);
          expect(await b.dedup.firstSeen('wa:wamid.1', 50)).toBe(false);
          fx.clock.advance(2);
        } else {
          await sleep(150);
        }
        expect(await b.dedup.firstSeen('wa:wamid.1', 50)).toBe(true);
      });

      it('forgets a key on request (work that failed is retried), from either instance', async () => {
        expect(await a.dedup.firstSeen('telegram:update:9', 60_000)).toBe(true);
        await b.dedup.forget('telegram:update:9');
        expect(await a.dedup.firstSeen('telegram:update:9', 60_000)).toBe(true);
        expect(await b.dedup.firstSeen('telegram:update:9', 60_000)).toBe(false);
        await a.dedup.forget('never-seen');
        expect(await a.dedup.firstSeen('never-seen', 60_000)).toBe(true);
      });
    });

    describe('delivery receipts', () => {
      const DAY = 24 * 60 * 60_000;

      it('moves a receipt forward only: a late delivered after read changes nothing, on either instance', async () => {
        await a.receipts.sent('wamid.out1', 'whatsapp:62811', T0, DAY);
        expect(await b.receipts.latest('whatsapp:62811')).toEqual({
          messageId: 'wamid.out1',
          conversationId: 'whatsapp:62811',
          state: 'sent',
          at: T0,
        });
        expect(await b.receipts.update('wamid.out1', 'whatsapp:62811', 'read', T0 + 20, DAY)).toEqual({
          receipt: { messageId: 'wamid.out1', conversationId: 'whatsapp:62811', state: 'read', at: T0 + 20 },
          advanced: true,
        });
        expect(await a.receipts.update('wamid.out1', 'whatsapp:62811', 'delivered', T0 + 10, DAY)).toEqual({
          receipt: { messageId: 'wamid.out1', conversationId: 'whatsapp:62811', state: 'read', at: T0 + 20 },
          advanced: false,
        });
        expect(await a.receipts.update('wamid.out1', 'whatsapp:62811', 'sent', T0 + 30, DAY)).toMatchObject({
          receipt: { state: 'read' },
          advanced: false,
        });
        expect((await b.receipts.latest('whatsapp:62811'))?.state).toBe('read');
      });

      it('takes failed from any state and nothing after it', async () => {
        await a.receipts.sent('wamid.f', 'whatsapp:62812', T0, DAY);
        await a.receipts.update('wamid.f', 'whatsapp:62812', 'delivered', T0 + 1, DAY);
        expect(await b.receipts.update('wamid.f', 'whatsapp:62812', 'failed', T0 + 2, DAY)).toMatchObject({
          receipt: { state: 'failed' },
          advanced: true,
        });
        // Meta's re-send of the same failure is not news (the ticket is noted once).
        expect((await a.receipts.update('wamid.f', 'whatsapp:62812', 'failed', T0 + 2, DAY)).advanced).toBe(false);
        expect((await a.receipts.update('wamid.f', 'whatsapp:62812', 'read', T0 + 3, DAY)).receipt.state).toBe(
          'failed',
        );
        expect(await b.receipts.latest('whatsapp:62812')).toMatchObject({ state: 'failed', at: T0 + 2 });
      });

      it('keeps a status that overtook our own sent record, and the newest sent message is the latest', async () => {
        expect(await a.receipts.latest('whatsapp:62813')).toBeNull();
        await a.receipts.update('wamid.early', 'whatsapp:62813', 'delivered', T0 + 5, DAY);
        await b.receipts.sent('wamid.early', 'whatsapp:62813', T0, DAY);
        expect(await a.receipts.latest('whatsapp:62813')).toMatchObject({
          messageId: 'wamid.early',
          state: 'delivered',
        });
        await b.receipts.sent('wamid.next', 'whatsapp:62813', T0 + 10, DAY);
        // A status for the older message moves its own receipt but not the conversation's latest.
        await a.receipts.update('wamid.early', 'whatsapp:62813', 'read', T0 + 11, DAY);
        expect(await a.receipts.latest('whatsapp:62813')).toMatchObject({ messageId: 'wamid.next', state: 'sent' });
        expect(await a.receipts.latest('whatsapp:other')).toBeNull();
      });

      it('forgets receipts once their TTL has passed', async () => {
        await a.receipts.sent('wamid.ttl', 'whatsapp:62814', T0, 50);
        if (fx.clock) fx.clock.advance(51);
        else await sleep(150);
        expect(await b.receipts.latest('whatsapp:62814')).toBeNull();
      });
    });

    describe('users', () => {
      it('creates a user readable from the other instance, by case-insensitive username', async () => {
        const created = await a.users.create(sampleUser('agent1', { teams: ['billing', 'frontline'] }));
        expect(created).toEqual(sampleUser('agent1', { teams: ['billing', 'frontline'] }));
        expect(await b.users.get('agent1')).toEqual(created);
        expect(await b.users.get('  Agent1 ')).toEqual(created);
        expect(await a.users.get('nobody')).toBeNull();
      });

      it('refuses a taken username with USER_EXISTS and keeps the first user', async () => {
        const first = await a.users.create(sampleUser('budi', { displayName: 'Budi Santoso' }));
        await expect(b.users.create(sampleUser('budi', { displayName: 'Someone Else' }))).rejects.toMatchObject({
          code: 'USER_EXISTS',
        });
        expect(await a.users.get('budi')).toEqual(first);
      });

      it('lets exactly one of concurrent creates of one username win, across instances', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? b : a).users.create(sampleUser('race', { displayName: `Racer ${i}` })),
          ),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost.map((r) => (r.reason as { code?: string }).code)).toEqual(Array(7).fill('USER_EXISTS'));
        expect((await b.users.list()).map((u) => u.username)).toEqual(['race']);
      });

      it('rejects an invalid user with VALIDATION_FAILED and stores nothing', async () => {
        await expect(a.users.create(sampleUser('lonely', { role: 'agent', teams: [] }))).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
        });
        await expect(a.users.create(sampleUser('bad name!'))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(await a.users.list()).toEqual([]);
      });

      it('lists every user by username', async () => {
        for (const name of ['supervisor', 'agent2', 'admin', 'agent1']) {
          await a.users.create(sampleUser(name, name === 'admin' ? { role: 'admin', teams: [] } : {}));
        }
        expect((await b.users.list()).map((u) => u.username)).toEqual(['admin', 'agent1', 'agent2', 'supervisor']);
      });

      it('updates role, teams, password hash and disabled flag, stamping updatedAt', async () => {
        await a.users.create(sampleUser('sari'));
        fx.clock?.advance(5_000);
        const updated = await b.users.update('Sari', {
          role: 'supervisor',
          teams: ['supervisor'],
          passwordHash: OTHER_HASH,
          disabled: true,
        });
        expect(updated).toMatchObject({
          username: 'sari',
          role: 'supervisor',
          teams: ['supervisor'],
          passwordHash: OTHER_HASH,
          disabled: true,
          createdAt: T0,
        });
        if (fx.clock) expect(updated.updatedAt).toBe(T0 + 5_000);
        expect(await a.users.get('sari')).toEqual(updated);
      });

      it('rejects an update to an unknown user (NOT_FOUND) or to an invalid result (VALIDATION_FAILED)', async () => {
        await expect(a.users.update('ghost', { disabled: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
        const before = await a.users.create(sampleUser('dewi'));
        await expect(b.users.update('dewi', { teams: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
        await expect(b.users.update('dewi', { passwordHash: 'plain-text' })).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
        });
        expect(await a.users.get('dewi')).toEqual(before);
      });

      it('loses none of several concurrent updates of different fields, across instances', async () => {
        await a.users.create(sampleUser('busy'));
        await Promise.all([
          a.users.update('busy', { displayName: 'Busy Bee' }),
          b.users.update('busy', { disabled: true }),
          a.users.update('busy', { passwordHash: OTHER_HASH }),
          b.users.update('busy', { teams: ['on_call'] }),
          a.users.update('busy', { role: 'supervisor' }),
        ]);
        expect(await b.users.get('busy')).toMatchObject({
          displayName: 'Busy Bee',
          disabled: true,
          passwordHash: OTHER_HASH,
          teams: ['on_call'],
          role: 'supervisor',
        });
      });

      it('keeps the stored copy independent of the objects callers hold', async () => {
        const user = sampleUser('copy', { teams: ['billing'] });
        const created = await a.users.create(user);
        user.teams.push('on_call');
        created.teams.push('frontline');
        const read = await a.users.get('copy');
        expect(read?.teams).toEqual(['billing']);
        read!.teams.push('x');
        expect((await a.users.get('copy'))?.teams).toEqual(['billing']);
      });
    });

    describe('sessions', () => {
      it('creates a session with random 256-bit id and CSRF token, readable from the other instance', async () => {
        const session = await a.sessions.create('agent1', 3_600_000);
        expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(session.csrfToken).not.toBe(session.id);
        expect(session).toMatchObject({ username: 'agent1', expiresAt: session.createdAt + 3_600_000 });
        if (fx.clock) expect(session.createdAt).toBe(fx.clock.now());
        expect(await b.sessions.get(session.id)).toEqual(session);
        expect(await a.sessions.get('no-such-session')).toBeNull();
        const more = await Promise.all(Array.from({ length: 20 }, () => b.sessions.create('agent1', 60_000)));
        expect(new Set([session, ...more].map((s) => s.id)).size).toBe(21);
      });

      it('forgets a session once its TTL has passed; touch does not bring it back', async () => {
        const session = await a.sessions.create('agent2', 50);
        if (fx.clock) {
          fx.clock.advance(49);
          expect(await b.sessions.get(session.id)).not.toBeNull();
          fx.clock.advance(2);
        } else {
          await sleep(150);
        }
        expect(await b.sessions.get(session.id)).toBeNull();
        expect(await a.sessions.touch(session.id, 60_000)).toBeNull();
        expect(await b.sessions.get(session.id)).toBeNull();
      });

      it('slides the expiry forward on touch', async () => {
        const session = await a.sessions.create('agent1', 300);
        fx.clock?.advance(200);
        const touched = await b.sessions.touch(session.id, 60_000);
        expect(touched).toEqual({ ...session, expiresAt: (fx.clock?.now() ?? touched!.expiresAt - 60_000) + 60_000 });
        if (fx.clock) fx.clock.advance(30_000);
        else await sleep(450);
        expect(await a.sessions.get(session.id)).toEqual(touched);
      });

      it('deletes one session, or every session of one user', async () => {
        const mine = await Promise.all([1, 2, 3].map(() => a.sessions.create('agent1', 60_000)));
        const theirs = await b.sessions.create('agent2', 60_000);
        await b.sessions.delete(mine[0]!.id);
        expect(await a.sessions.get(mine[0]!.id)).toBeNull();
        expect(await b.sessions.deleteAllOf('agent1')).toBe(2);
        for (const s of mine) expect(await b.sessions.get(s.id)).toBeNull();
        expect(await a.sessions.get(theirs.id)).toEqual(theirs);
        // Later sessions of the same user are tracked again.
        const again = await a.sessions.create('agent1', 60_000);
        expect(await b.sessions.deleteAllOf('agent1')).toBe(1);
        expect(await a.sessions.get(again.id)).toBeNull();
        expect(await a.sessions.deleteAllOf('nobody')).toBe(0);
      });
    });

    describe('rate limiter', () => {
      it('allows `limit` hits per window, then refuses with the time left until the window ends', async () => {
        const results = [];
        for (let i = 0; i < 4; i++) results.push(await (i % 2 ? b : a).rateLimiter.hit('login:user:budi', 3, 60_000));
        expect(results.map((r) => [r.allowed, r.count])).toEqual([
          [true, 1],
          [true, 2],
          [true, 3],
          [false, 4],
        ]);
        expect(results.slice(0, 3).every((r) => r.retryAfterMs === 0)).toBe(true);
        expect(results[3]!.retryAfterMs).toBeGreaterThan(0);
        expect(results[3]!.retryAfterMs).toBeLessThanOrEqual(60_000);
        if (fx.clock) {
          fx.clock.advance(20_000);
          expect((await a.rateLimiter.hit('login:user:budi', 3, 60_000)).retryAfterMs).toBe(40_000);
        }
        // Other keys have their own windows.
        expect(await b.rateLimiter.hit('login:user:sari', 3, 60_000)).toEqual({
          allowed: true,
          count: 1,
          retryAfterMs: 0,
        });
      });

      it('starts a new window once the old one has ended', async () => {
        await a.rateLimiter.hit('login:ip:10.0.0.1', 1, 50);
        expect((await b.rateLimiter.hit('login:ip:10.0.0.1', 1, 50)).allowed).toBe(false);
        if (fx.clock) fx.clock.advance(50);
        else await sleep(150);
        expect(await b.rateLimiter.hit('login:ip:10.0.0.1', 1, 50)).toEqual({
          allowed: true,
          count: 1,
          retryAfterMs: 0,
        });
      });

      it('gives hits back on refund (never below zero) and forgets a key on reset', async () => {
        for (let i = 0; i < 3; i++) await a.rateLimiter.hit('k', 3, 60_000);
        await b.rateLimiter.refund('k');
        expect(await a.rateLimiter.hit('k', 3, 60_000)).toMatchObject({ allowed: true, count: 3 });
        await b.rateLimiter.reset('k');
        expect(await a.rateLimiter.hit('k', 3, 60_000)).toMatchObject({ allowed: true, count: 1 });
        for (let i = 0; i < 3; i++) await b.rateLimiter.refund('k');
        await b.rateLimiter.refund('never-hit');
        expect(await a.rateLimiter.hit('k', 3, 60_000)).toMatchObject({ count: 1 });
        expect(await a.rateLimiter.hit('never-hit', 3, 60_000)).toMatchObject({ count: 1 });
      });

      it('allows exactly `limit` of many concurrent hits from two instances', async () => {
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) => (i % 2 ? b : a).rateLimiter.hit('login:ip:burst', 5, 60_000)),
        );
        expect(results.filter((r) => r.allowed)).toHaveLength(5);
        expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      });
    });

    describe('lock', () => {
      it('runs calls for one key one at a time, in call order, even when they alternate between instances', async () => {
        const key = 'telegram:order';
        const events: string[] = [];
        let active = 0;
        let maxActive = 0;
        const gate = deferred();
        const work = (i: number) => async () => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          events.push(`start ${i}`);
          if (i === 0) await gate.promise;
          else await sleep(3); // give an overlapping call every chance to show up
          events.push(`end ${i}`);
          active -= 1;
          return i;
        };
        const calls: Promise<number>[] = [a.lock.run(key, work(0))];
        await until(async () => (await fx.lockQueueLength(key)) === 1 && events.length === 1);
        for (let i = 1; i <= 8; i++) {
          calls.push((i % 2 ? b : a).lock.run(key, work(i)));
          // Causal order: call i is in line before call i + 1 is made (possibly on the other instance).
          await until(async () => (await fx.lockQueueLength(key)) === i + 1);
        }
        expect(events).toEqual(['start 0']);
        gate.resolve();
        expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
        expect(events).toEqual(Array.from({ length: 9 }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
        expect(maxActive).toBe(1);
        expect(await fx.lockQueueLength(key)).toBe(0);
      });

      it('runs different keys concurrently', async () => {
        const gate = deferred();
        const held = a.lock.run('telegram:one', () => gate.promise.then(() => 'one'));
        await until(async () => (await fx.lockQueueLength('telegram:one')) === 1);
        // Would time out (and fail) if the other key had to wait for the held one.
        await expect(b.lock.run('telegram:two', async () => 'two', { waitMs: 5_000 })).resolves.toBe('two');
        gate.resolve();
        await expect(held).resolves.toBe('one');
      });

      it('releases the key when fn throws, and passes the error through', async () => {
        const key = 'web:throws';
        await expect(
          a.lock.run(key, async () => {
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        await expect(b.lock.run(key, async () => 'next', { waitMs: 2_000 })).resolves.toBe('next');
        expect(await fx.lockQueueLength(key)).toBe(0);
      });

      it('gives a waiter LOCK_TIMEOUT after waitMs without running it; the caller behind it keeps its turn', async () => {
        const key = 'wa:busy';
        const events: string[] = [];
        const gate = deferred();
        const holder = a.lock.run(key, async () => {
          events.push('holder start');
          await gate.promise;
          events.push('holder end');
        });
        await until(async () => (await fx.lockQueueLength(key)) === 1);
        const impatient = b.lock.run(key, async () => events.push('impatient ran'), { waitMs: 50 });
        await until(async () => (await fx.lockQueueLength(key)) === 2);
        const patient = a.lock.run(key, async () => events.push('patient ran'), { waitMs: 10_000 });
        await expect(impatient).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
        // The timed-out waiter left the line; the holder is still running.
        await until(async () => (await fx.lockQueueLength(key)) === 2);
        expect(events).toEqual(['holder start']);
        gate.resolve();
        await holder;
        await patient;
        expect(events).toEqual(['holder start', 'holder end', 'patient ran']);
        expect(await fx.lockQueueLength(key)).toBe(0);
      });

      it('keeps the key for a holder that runs longer than its lease (the lease is renewed)', async () => {
        const key = 'telegram:slow';
        const events: string[] = [];
        const holder = a.lock.run(
          key,
          async () => {
            events.push('slow start');
            await sleep(400);
            events.push('slow end');
          },
          { leaseMs: 100 },
        );
        await until(async () => (await fx.lockQueueLength(key)) === 1);
        const waiter = b.lock.run(key, async () => events.push('waiter ran'), { waitMs: 5_000, leaseMs: 100 });
        await Promise.all([holder, waiter]);
        expect(events).toEqual(['slow start', 'slow end', 'waiter ran']);
      });

      if (options.holderCrash) {
        it('skips a holder that crashed once its lease has lapsed', async () => {
          const key = 'telegram:crash';
          const crash = fx.crashHolder;
          if (!crash) throw new Error('holderCrash is set but the fixture has no crashHolder');
          const crashed = await crash(key, 300);
          try {
            // The dead holder still owns the key for now...
            await expect(a.lock.run(key, async () => 'too early', { waitMs: 30 })).rejects.toMatchObject({
              code: 'LOCK_TIMEOUT',
            });
            // ...and loses it when the lease runs out; the waiters then run in order.
            const order: string[] = [];
            const first = b.lock.run(key, async () => order.push('first'), { waitMs: 5_000 });
            await until(async () => (await fx.lockQueueLength(key)) === 2);
            const second = a.lock.run(key, async () => order.push('second'), { waitMs: 5_000 });
            await Promise.all([first, second]);
            expect(order).toEqual(['first', 'second']);
            expect(await fx.lockQueueLength(key)).toBe(0);
          } finally {
            await crashed.cleanup();
          }
        });
      }
    });
  });
}

function sampleConversation(id: string): Conversation {
  const [channel = 'telegram', senderId = '1'] = id.split(':');
  const conv = newConversation(channel, senderId, 'id', T0);
  conv.id = id;
  conv.transcript.push(turn('customer', 'halo kak, jam buka toko?', T0));
  conv.recentMessageIds.push('m-1');
  return conv;
}

/** Well-formed scrypt hashes (the stores check the format, never the password). */
const SAMPLE_HASH = '$scrypt$ln=15,r=8,p=1$c2FtcGxlLXNhbHQtMTIzNA$c2FtcGxlLWRlcml2ZWQta2V5LTAxMjM0NTY3ODkwMTIzNDU2';
const OTHER_HASH = '$scrypt$ln=15,r=8,p=1$b3RoZXItc2FsdC0xMjM0NQ$b3RoZXItZGVyaXZlZC1rZXktMDEyMzQ1Njc4OTAxMjM0NTY3';

function sampleUser(username: string, over: Partial<User> = {}): User {
  return {
    username,
    displayName: username,
    role: 'agent',
    teams: ['support_l2'],
    passwordHash: SAMPLE_HASH,
    disabled: false,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function sampleTicket(over: Partial<NewTicket> = {}): NewTicket {
  return {
    conversationId: 'telegram:1001',
    channel: 'telegram',
    senderId: '1001',
    locale: 'id',
    category: 'billing',
    team: 'billing',
    priority: 2,
    createdAt: T0,
    slaDeadline: T0 + 4 * 3_600_000,
    context: {
      category: 'billing',
      intent: 'billing_dispute',
      confidence: 0.87,
      ranking: [
        { intent: 'billing_dispute', confidence: 0.87 },
        { intent: 'payment_failed', confidence: 0.0912345678901234 },
      ],
      rule: 'handoff:category',
      originalText: 'tagihan saya tidak sesuai invoice',
      verification: { fields: { customer_number: 'MJ-88' }, verified: true },
    },
    messages: [
      turn('customer', 'tagihan saya tidak sesuai invoice', T0),
      turn('bot', 'Baik Kak, kami teruskan ke tim billing.', T0 + 1),
    ],
    ...over,
  };
}

export function turn(from: Turn['from'], text: string, at: number): Turn {
  return { at, from, text };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Polls `condition` every few ms; fails the test if it does not hold within `timeoutMs`. */
export async function until(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(2);
  }
}
