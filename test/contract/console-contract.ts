import type { LiveEvent } from '../../src/domain/live-event';
import { AUDIT_MAX_LIMIT } from '../../src/store/audit-query';
import type { Stores } from '../../src/store/types';
import { T0, type ContractFixture } from './store-contract';

/**
 * The console's stores, the same suite for memory and Redis: customer notes, the append-only
 * audit log and the live event bus (an event published on one instance reaches the other's
 * subscribers).
 */
export function describeConsoleContract(name: string, makeStores: () => Promise<ContractFixture>): void {
  describe(`console store contract: ${name}`, () => {
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

    describe('customer notes', () => {
      it('has none for an unknown customer, then the last note written (seen by every instance)', async () => {
        expect(await a.customerNotes.get('telegram', '42')).toBeNull();
        const note = { channel: 'telegram', senderId: '42', text: 'Pelanggan VIP', updatedAt: T0, updatedBy: 'agent1' };
        await expect(a.customerNotes.put(note)).resolves.toEqual(note);
        await b.customerNotes.put({
          ...note,
          text: 'Pelanggan VIP; suka ditelepon sore',
          updatedAt: T0 + 1,
          updatedBy: 'agent2',
        });
        expect(await a.customerNotes.get('telegram', '42')).toEqual({
          ...note,
          text: 'Pelanggan VIP; suka ditelepon sore',
          updatedAt: T0 + 1,
          updatedBy: 'agent2',
        });
      });

      it('keeps customers apart, even with separators and braces in their ids', async () => {
        const base = { text: 'x', updatedAt: T0, updatedBy: 'agent1' };
        await a.customerNotes.put({ ...base, channel: 'rest', senderId: 'a:b', text: 'first' });
        await a.customerNotes.put({ ...base, channel: 'rest', senderId: 'a', text: 'second' });
        await a.customerNotes.put({ ...base, channel: 'telegram', senderId: 'a:b', text: 'third' });
        await a.customerNotes.put({ ...base, channel: 'rest', senderId: '{x}', text: 'fourth' });
        expect((await b.customerNotes.get('rest', 'a:b'))?.text).toBe('first');
        expect((await b.customerNotes.get('rest', 'a'))?.text).toBe('second');
        expect((await b.customerNotes.get('telegram', 'a:b'))?.text).toBe('third');
        expect((await b.customerNotes.get('rest', '{x}'))?.text).toBe('fourth');
      });
    });

    describe('Telegram desk topics', () => {
      const topic = { chatId: -1001987654321, threadId: 42 };

      it('links a ticket and its topic both ways, seen by every instance', async () => {
        expect(await a.deskTopics.topicOf('t1')).toBeNull();
        expect(await a.deskTopics.ticketOf(topic)).toBeNull();
        expect(await a.deskTopics.link('t1', topic)).toBe(true);
        expect(await b.deskTopics.topicOf('t1')).toEqual(topic);
        expect(await b.deskTopics.ticketOf(topic)).toBe('t1');
        // The same thread number in another chat is another topic.
        expect(await b.deskTopics.ticketOf({ chatId: -1002, threadId: 42 })).toBeNull();
      });

      it('keeps the first link: neither the ticket nor the topic can be linked again', async () => {
        expect(await a.deskTopics.link('t1', topic)).toBe(true);
        expect(await b.deskTopics.link('t1', { ...topic, threadId: 43 })).toBe(false);
        expect(await b.deskTopics.link('t2', topic)).toBe(false);
        expect(await a.deskTopics.topicOf('t1')).toEqual(topic);
        expect(await a.deskTopics.topicOf('t2')).toBeNull();
        expect(await a.deskTopics.ticketOf({ ...topic, threadId: 43 })).toBeNull();
      });

      it('keeps ticket ids with separators and braces apart', async () => {
        expect(await a.deskTopics.link('a:{b}', { chatId: -1, threadId: 1 })).toBe(true);
        expect(await a.deskTopics.link('a', { chatId: -1, threadId: 2 })).toBe(true);
        expect(await b.deskTopics.topicOf('a:{b}')).toEqual({ chatId: -1, threadId: 1 });
        expect(await b.deskTopics.ticketOf({ chatId: -1, threadId: 2 })).toBe('a');
      });
    });

    describe('audit log', () => {
      const entry = (n: number, over: Record<string, unknown> = {}) => ({
        at: T0 + n,
        actor: { username: n % 2 ? 'agent1' : 'agent2', role: 'agent' },
        action: 'reply' as const,
        ticketId: `t${n % 3}`,
        ...over,
      });

      it('appends with increasing ids and lists newest first, across instances', async () => {
        const first = await a.audit.append(entry(1));
        const second = await b.audit.append(entry(2, { action: 'transfer', detail: { team: 'billing' } }));
        expect(first).toEqual({ ...entry(1), id: expect.any(String) });
        expect(second.id).not.toBe(first.id);
        expect(await a.audit.list()).toEqual([second, first]);
        expect(await b.audit.list()).toEqual([second, first]);
      });

      it('filters by ticket and actor, pages with `before`, and caps the page size', async () => {
        const all = [];
        for (let n = 1; n <= 12; n++) all.push(await (n % 2 ? a : b).audit.append(entry(n)));
        const newestFirst = [...all].reverse();
        expect(await a.audit.list({ limit: 5 })).toEqual(newestFirst.slice(0, 5));
        expect(await a.audit.list({ limit: 5, before: newestFirst[4]!.id })).toEqual(newestFirst.slice(5, 10));
        expect(await a.audit.list({ ticketId: 't1' })).toEqual(newestFirst.filter((e) => e.ticketId === 't1'));
        expect(await a.audit.list({ actor: 'agent2', ticketId: 't0' })).toEqual(
          newestFirst.filter((e) => e.actor.username === 'agent2' && e.ticketId === 't0'),
        );
        expect(await a.audit.list({ limit: 10_000 })).toHaveLength(12);
        expect(AUDIT_MAX_LIMIT).toBe(500);
      });

      it('offers no way to change or delete an entry', () => {
        const methods = (o: object) =>
          Object.getOwnPropertyNames(Object.getPrototypeOf(o)).filter((m) => m !== 'constructor');
        expect(methods(a.audit).sort()).toEqual(['append', 'list']);
      });
    });

    describe('event bus', () => {
      const event = (n: number): LiveEvent => ({
        type: 'supervisor_alert',
        at: T0 + n,
        alert: 'no_agent_online',
        message: { id: `pesan ${n}`, en: `message ${n}` },
        team: 'billing',
      });

      it('delivers an event published on one instance to subscribers on every instance', async () => {
        const onA: LiveEvent[] = [];
        const onB: LiveEvent[] = [];
        let gotA!: () => void;
        let gotB!: () => void;
        const a1 = new Promise<void>((r) => (gotA = r));
        const b1 = new Promise<void>((r) => (gotB = r));
        const offA = await a.events.subscribe((e) => {
          onA.push(e);
          gotA();
        });
        const offB = await b.events.subscribe((e) => {
          onB.push(e);
          gotB();
        });
        await b.events.publish(event(1));
        await Promise.all([a1, b1]);
        expect(onA).toEqual([event(1)]);
        expect(onB).toEqual([event(1)]);
        offA();
        offB();
      });

      it('stops delivering after unsubscribe, and keeps the order of events', async () => {
        const dropped: LiveEvent[] = [];
        const kept: LiveEvent[] = [];
        let done!: () => void;
        const finished = new Promise<void>((r) => (done = r));
        const off = await a.events.subscribe((e) => dropped.push(e));
        const offKept = await a.events.subscribe((e) => {
          kept.push(e);
          if (kept.length === 3) done();
        });
        off();
        for (const n of [1, 2, 3]) await b.events.publish(event(n));
        await finished;
        expect(kept.map((e) => e.at)).toEqual([T0 + 1, T0 + 2, T0 + 3]);
        expect(dropped).toEqual([]);
        offKept();
      });
    });
  });
}
