import { ManualClock } from '../../src/domain/clock';
import { createStores } from '../../src/store';
import { createMemoryStores } from '../../src/store/memory';
import { describeConsoleContract } from './console-contract';
import { describeOutboxContract, OUTBOX_TEST_OPTIONS } from './outbox-contract';
import { describeStoreContract } from './store-contract';
import { describeTicketContract } from './ticket-contract';

/** One memory store on a manual clock; `second` is the same object (one process). */
async function memoryFixture() {
  const clock = new ManualClock(Date.UTC(2025, 0, 6, 2, 0, 0));
  const stores = createMemoryStores({ clock });
  return {
    stores,
    second: stores,
    clock,
    stampClock: clock,
    lockQueueLength: async (key: string) => stores.lock.queueLength(key),
    cleanup: () => stores.close(),
  };
}

describeStoreContract('memory', memoryFixture);
describeTicketContract('memory', memoryFixture);
describeConsoleContract('memory', memoryFixture);

describeOutboxContract('memory', async () => {
  const clock = new ManualClock(Date.UTC(2025, 0, 6, 2, 0, 0));
  const stores = createMemoryStores({ clock, outbox: OUTBOX_TEST_OPTIONS });
  return {
    outbox: stores.outbox,
    second: stores.outbox,
    async passTime(ms) {
      clock.advance(ms);
    },
    cleanup: () => stores.close(),
  };
});

describe('memory stores (implementation details)', () => {
  it('forgets lock keys once they are idle, so memory does not grow per conversation', async () => {
    const stores = createMemoryStores();
    const gate = Promise.resolve();
    await Promise.all(Array.from({ length: 200 }, (_, i) => stores.lock.run(`telegram:${i % 50}`, () => gate)));
    expect(stores.lock.activeKeys).toBe(0);
  });

  it('sweeps expired dedup keys as the clock moves on', async () => {
    const clock = new ManualClock(0);
    const stores = createMemoryStores({ clock });
    for (let i = 0; i < 20; i++) await stores.dedup.firstSeen(`k${i}`, 1_000);
    expect(stores.dedup.size).toBe(20);
    clock.advance(120_000);
    expect(await stores.dedup.firstSeen('fresh', 1_000)).toBe(true);
    expect(stores.dedup.size).toBe(1);
  });

  it('stamps updatedAt from the injected clock on create and on appendMessage', async () => {
    const clock = new ManualClock(1_000);
    const stores = createMemoryStores({ clock });
    const created = await stores.tickets.create(
      {
        conversationId: 'web:1',
        channel: 'web',
        senderId: '1',
        locale: 'en',
        category: 'complaint',
        team: 'support_l2',
        priority: 1,
        createdAt: 900,
        slaDeadline: 5_000,
        context: {
          category: 'complaint',
          intent: null,
          confidence: null,
          ranking: [],
          rule: 'handoff:complaint_tone',
          originalText: 'x',
        },
        messages: [],
      },
      'MJ',
    );
    expect(created.updatedAt).toBe(1_000);
    clock.set(2_500);
    await stores.tickets.appendMessage(created.id, { at: 2_500, from: 'customer', text: 'halo' });
    expect((await stores.tickets.get(created.id))?.updatedAt).toBe(2_500);
  });

  it('is what createStores returns without a Redis URL', async () => {
    const stores = await createStores({});
    expect(stores.kind).toBe('memory');
    await stores.close();
  });
});
