import Redis from 'ioredis';
import { ManualClock } from '../../src/domain/clock';
import { newConversation } from '../../src/domain/conversation';
import { createStores } from '../../src/store';
import { createRedisStores, type RedisStores } from '../../src/store/redis';
import { createKeys } from '../../src/store/redis/keys';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';
import { describeConsoleContract } from './console-contract';
import { describeOutboxContract, OUTBOX_TEST_OPTIONS } from './outbox-contract';
import { describeStoreContract, until } from './store-contract';
import { describeTicketContract } from './ticket-contract';

jest.setTimeout(20_000);

let server: TestRedisServer;
let fixtures = 0;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Two instances over one key prefix, stamping ticket times with one manual clock. */
function twoInstances() {
  // Each test gets its own key prefix on this file's private server: no flushing, no overlap.
  const prefix = `contract-redis:${++fixtures}:`;
  const stampClock = new ManualClock(Date.UTC(2025, 0, 6, 2, 0, 0));
  const stores = createRedisStores({ url: server.url, prefix, clock: stampClock });
  const second = createRedisStores({ url: server.url, prefix, clock: stampClock });
  return { prefix, stampClock, stores, second };
}

/** The ticket and console suites need nothing beyond two instances on one prefix. */
async function redisFixture() {
  const { stampClock, stores, second } = twoInstances();
  return {
    stores,
    second,
    stampClock,
    lockQueueLength: (key: string) => stores.client.llen(stores.keys.lockQueue(key)),
    async cleanup() {
      await Promise.all([stores.close(), second.close()]);
    },
  };
}

describeConsoleContract('redis', redisFixture);
describeTicketContract('redis', redisFixture);

describeOutboxContract('redis', async () => {
  const prefix = `outbox-redis:${++fixtures}:`;
  const stores = createRedisStores({ url: server.url, prefix, outbox: OUTBOX_TEST_OPTIONS });
  const second = createRedisStores({ url: server.url, prefix, outbox: OUTBOX_TEST_OPTIONS });
  return {
    outbox: stores.outbox,
    second: second.outbox,
    // Redis expires keys by its own clock: real time has to pass (the key is then gone on access).
    passTime: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async cleanup() {
      await Promise.all([stores.close(), second.close()]);
    },
  };
});

describeStoreContract(
  'redis',
  async () => {
    const { prefix, stampClock, stores, second } = twoInstances();
    return {
      stores,
      second,
      stampClock,
      lockQueueLength: (key) => stores.client.llen(stores.keys.lockQueue(key)),
      async crashHolder(key, leaseMs) {
        const doomed = createRedisStores({ url: server.url, prefix });
        let open!: () => void;
        const gate = new Promise<void>((resolve) => (open = resolve));
        let started!: () => void;
        const holding = new Promise<void>((resolve) => (started = resolve));
        const running = doomed.lock
          .run(
            key,
            async () => {
              started();
              await gate;
            },
            { leaseMs },
          )
          .catch(() => undefined);
        await holding;
        // Like a killed process: the connection drops, no release, no more lease renewals.
        doomed.client.disconnect();
        return {
          async cleanup() {
            open();
            await running;
            await doomed.close();
          },
        };
      },
      async cleanup() {
        await Promise.all([stores.close(), second.close()]);
      },
    };
  },
  { holderCrash: true },
);

describe('redis stores (implementation details)', () => {
  let stores: RedisStores;
  beforeEach(() => {
    stores = createRedisStores({
      url: server.url,
      prefix: `details-redis:${++fixtures}:`,
      clock: new ManualClock(5_000),
    });
  });
  afterEach(async () => {
    await stores.close();
  });

  it('grows ticket numbers beyond six digits', async () => {
    await stores.client.set(stores.keys.ticketSeq('MJ'), '999999');
    const ticket = await stores.tickets.create(
      {
        conversationId: 'telegram:7',
        channel: 'telegram',
        senderId: '7',
        locale: 'id',
        category: 'emergency',
        team: 'oncall',
        priority: 0,
        createdAt: 4_000,
        slaDeadline: 4_600,
        context: {
          category: 'emergency',
          intent: 'outage',
          confidence: 0.99,
          ranking: [],
          rule: 'handoff:emergency',
          originalText: 'x',
        },
        messages: [],
      },
      'MJ',
    );
    expect(ticket.number).toBe('MJ-1000000');
    expect(ticket.updatedAt).toBe(5_000);
    expect((await stores.tickets.get(ticket.id))?.number).toBe('MJ-1000000');
  });

  it('handles a conversation under its lock in 2 commands: lock with read, save with release', async () => {
    const id = 'telegram:trips';
    await stores.ping(); // connected, scripts' first EVAL aside
    await stores.conversations.withLock(id, async ({ saveAndRelease }) => {
      await saveAndRelease({ ...newConversation('telegram', 'trips', 'id', 1_000), id });
    });
    const watcher = await new Redis(server.url).monitor();
    const seen: string[] = [];
    // Commands a script runs come with source "lua"; only the client's own round trips count here.
    watcher.on('monitor', (_time: string, args: string[], source: string) => {
      if (source !== 'lua') seen.push(String(args[0]).toLowerCase());
    });
    try {
      await stores.client.echo('start');
      const saved = await stores.conversations.withLock(id, async ({ stored, saveAndRelease }) =>
        saveAndRelease({ ...stored!, state: 'queued' }),
      );
      expect(saved.version).toBe(2);
      await stores.client.echo('end');
      await until(async () => seen.includes('echo') && seen.lastIndexOf('echo') > seen.indexOf('echo'));
      expect(seen.slice(seen.indexOf('echo') + 1, seen.lastIndexOf('echo'))).toEqual(['evalsha', 'evalsha']);
    } finally {
      watcher.disconnect();
    }
  });

  it('keeps ids with braces inside their own hash tag', async () => {
    const keys = createKeys('mj:');
    const tag = (k: string) => k.slice(k.indexOf('{') + 1, k.indexOf('}', k.indexOf('{')));
    const id = 'web:{odd}}id%';
    expect(tag(keys.lockQueue(id))).toBe(tag(keys.lockLease(id)));
    expect(tag(keys.lockQueue(id))).toBe('web:%7Bodd%7D%7Did%25');
    expect(tag(keys.ticket('x'))).toBe('tickets');
    expect(tag(keys.statusTeamIndex('new', '{billing}'))).toBe('tickets');
    expect(tag(keys.agentOpen('{odd}'))).toBe('tickets');
    expect(() => createKeys('bad{prefix}:')).toThrow(/braces/);
    // And the stores work with such an id end to end.
    const conv = await stores.lock.run(id, () =>
      stores.conversations.save({
        id,
        channel: 'web',
        senderId: '{odd}}id%',
        locale: 'id',
        state: 'bot',
        transcript: [],
        recentMessageIds: [],
        createdAt: 1,
        updatedAt: 1,
        version: 0,
      }),
    );
    expect(await stores.conversations.get(id)).toEqual(conv);
  });

  it('builds the same index key names in Lua as keys.ts, escaping included', async () => {
    const ticket = await stores.tickets.create(
      {
        conversationId: 'web:1',
        channel: 'web',
        senderId: '1',
        locale: 'id',
        category: 'billing',
        team: 'team{x}%',
        priority: 2,
        createdAt: 4_000,
        slaDeadline: 9_000,
        context: {
          category: 'billing',
          intent: null,
          confidence: null,
          ranking: [],
          rule: 'handoff:category',
          originalText: 'x',
        },
        messages: [],
      },
      'MJ',
    );
    const { client, keys } = stores;
    expect(await client.zcard(keys.statusTeamIndex('new', 'team{x}%'))).toBe(1);
    expect(await client.zscore(keys.due(), ticket.id)).toBe('9000');
    await stores.tickets.claim(ticket.id, 'agent{1}');
    expect(await client.smembers(keys.agentOpen('agent{1}'))).toEqual([ticket.id]);
    expect(await client.zcard(keys.statusTeamIndex('in_progress', 'team{x}%'))).toBe(1);
    expect(await client.zcard(keys.statusIndex('new'))).toBe(0);
    expect(await client.llen(keys.ticketHistory(ticket.id))).toBe(1);
    await stores.presence.heartbeat({ id: 'agent{1}', teams: ['team{x}%'] }, 5_000, 1_000);
    expect(await client.zscore(keys.presenceTeam('team{x}%'), 'agent{1}')).toBe('6000');
  });

  it('keeps an outbox as one stream under keys.outbox, with its TTL restarted by each append', async () => {
    const outboxStores = createRedisStores({ url: server.url, prefix: stores.keys.prefix, outbox: { ttlMs: 60_000 } });
    try {
      await outboxStores.outbox.append('rest', 'web-{x}', { text: 'halo', from: { kind: 'bot' }, at: 1 });
      const key = stores.keys.outbox('rest', 'web-{x}');
      expect(key).toBe(`${stores.keys.prefix}outbox:rest:web-%7Bx%7D`);
      expect(await stores.client.type(key)).toBe('stream');
      const ttl = await stores.client.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await outboxStores.close();
    }
  });

  it('rejects ping with STORE_UNAVAILABLE within about a second when Redis does not answer', async () => {
    // Nobody listens on port 1: connecting fails at once and keeps failing.
    const dead = createRedisStores({ url: 'redis://127.0.0.1:1' });
    try {
      const started = Date.now();
      await expect(dead.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(dead.conversations.get('telegram:1')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      await dead.close();
    }
  });

  it('is what createStores returns for a Redis URL', async () => {
    const viaFactory = await createStores({ redisUrl: server.url });
    try {
      expect(viaFactory.kind).toBe('redis');
      await expect(viaFactory.ping()).resolves.toBeUndefined();
    } finally {
      await viaFactory.close();
    }
  });
});
