import type { OutboxStore } from '../../src/store/types';

/** What each implementation hands to the outbox suite, fresh for every test. */
export interface OutboxFixture {
  /** Created with `maxLength: 5` and `ttlMs: 200`. */
  outbox: OutboxStore;
  /** Another instance over the same data (memory: the same object). */
  second: OutboxStore;
  /** Lets more than `ms` pass for the store's expiry clock (a manual clock, or real time for Redis). */
  passTime(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

export const OUTBOX_TEST_OPTIONS = { maxLength: 5, ttlMs: 200 };

const bot = (text: string, at = 1) => ({ text, from: { kind: 'bot' as const }, at });

/**
 * The outbox contract every store implementation passes (memory and Redis): growing cursors,
 * paging, per-recipient isolation, bounded length and expiry.
 */
export function describeOutboxContract(name: string, make: () => Promise<OutboxFixture>): void {
  describe(`outbox contract: ${name}`, () => {
    let fx: OutboxFixture;
    beforeEach(async () => {
      fx = await make();
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    it('returns what was appended, oldest first, with growing cursors; the other instance reads the same', async () => {
      const first = await fx.outbox.append('rest', 'web-1', {
        text: 'Halo Kak, saya Sari dari Tim Billing.',
        from: { kind: 'agent', name: 'Sari' },
        at: 1_000,
      });
      const second = await fx.second.append('rest', 'web-1', {
        text: 'Seberapa puas Kakak?',
        buttons: [
          { id: 'csat_1', label: '1' },
          { id: 'csat_5', label: '5' },
        ],
        from: { kind: 'bot' },
        at: 2_000,
      });
      expect(second).not.toBe(first);
      const all = await fx.second.read('rest', 'web-1');
      expect(all).toEqual({
        messages: [
          {
            cursor: first,
            text: 'Halo Kak, saya Sari dari Tim Billing.',
            from: { kind: 'agent', name: 'Sari' },
            at: 1_000,
          },
          {
            cursor: second,
            text: 'Seberapa puas Kakak?',
            buttons: [
              { id: 'csat_1', label: '1' },
              { id: 'csat_5', label: '5' },
            ],
            from: { kind: 'bot' },
            at: 2_000,
          },
        ],
        cursor: second,
      });
      expect(await fx.outbox.read('rest', 'web-1', first)).toEqual({ messages: [all.messages[1]], cursor: second });
      // Nothing new: the same cursor comes back, to be passed again.
      expect(await fx.outbox.read('rest', 'web-1', second)).toEqual({ messages: [], cursor: second });
    });

    it('pages with limit and cursor: every message exactly once, in order', async () => {
      const cursors: string[] = [];
      for (let i = 1; i <= 5; i++) cursors.push(await fx.outbox.append('rest', 'web-2', bot(`m${i}`, i)));
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 4; page++) {
        const { messages, cursor } = await fx.second.read('rest', 'web-2', after, 2);
        expect(messages.length).toBeLessThanOrEqual(2);
        seen.push(...messages.map((m) => m.text));
        after = cursor;
      }
      expect(seen).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
      expect(after).toBe(cursors[4]);
    });

    it('gives concurrent appends from two instances distinct cursors in one order', async () => {
      const cursors = await Promise.all(
        Array.from({ length: 5 }, (_, i) => (i % 2 ? fx.second : fx.outbox).append('rest', 'web-3', bot(`c${i}`))),
      );
      expect(new Set(cursors).size).toBe(5);
      const { messages } = await fx.outbox.read('rest', 'web-3');
      expect(messages.map((m) => m.cursor).sort()).toEqual([...cursors].sort());
      expect(new Set(messages.map((m) => m.text)).size).toBe(5);
    });

    it('keeps each recipient (and channel) apart', async () => {
      await fx.outbox.append('rest', 'web-4', bot('untuk web-4'));
      await fx.outbox.append('telegram', 'web-4', bot('telegram, bukan rest'));
      await fx.outbox.append('rest', 'web-5', bot('untuk web-5'));
      expect((await fx.second.read('rest', 'web-4')).messages.map((m) => m.text)).toEqual(['untuk web-4']);
      expect((await fx.second.read('rest', 'nobody')).messages).toEqual([]);
      expect(await fx.second.read('rest', 'nobody')).toEqual({ messages: [], cursor: '0-0' });
    });

    it('keeps only the newest maxLength messages per recipient', async () => {
      for (let i = 1; i <= 8; i++) await fx.outbox.append('rest', 'web-6', bot(`t${i}`));
      const { messages } = await fx.second.read('rest', 'web-6');
      expect(messages.map((m) => m.text)).toEqual(['t4', 't5', 't6', 't7', 't8']);
    });

    it('forgets an outbox ttlMs after its last append; cursors keep growing after that', async () => {
      const old = await fx.outbox.append('rest', 'web-7', bot('lama'));
      await fx.passTime(OUTBOX_TEST_OPTIONS.ttlMs + 50);
      expect((await fx.second.read('rest', 'web-7')).messages).toEqual([]);
      const fresh = await fx.outbox.append('rest', 'web-7', bot('baru'));
      const { messages } = await fx.second.read('rest', 'web-7', old);
      expect(messages.map((m) => [m.cursor, m.text])).toEqual([[fresh, 'baru']]);
    });

    it('rejects an after that is not a cursor with VALIDATION_FAILED', async () => {
      for (const bad of ['abc', '12', '1-2-3', '-1-0', '(0-1']) {
        await expect(fx.outbox.read('rest', 'web-8', bad)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      }
    });
  });
}
