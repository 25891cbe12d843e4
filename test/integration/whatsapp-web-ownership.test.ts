import { SocketOwner } from '../../src/channels/whatsapp-web/socket-owner';
import { createRedisStores, type RedisStores } from '../../src/store/redis';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';

jest.setTimeout(20_000);

let server: TestRedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

const TTL_MS = 400;
const TICK_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One "app instance": its own Redis connection, and a socket that counts as open between start and stop. */
function instance(stores: RedisStores, owner: string, open: Set<string>) {
  return new SocketOwner({
    leases: stores.leases,
    name: 'whatsapp-web:main',
    owner,
    ttlMs: TTL_MS,
    tickMs: TICK_MS,
    start: async () => {
      open.add(owner);
    },
    stop: async () => {
      open.delete(owner);
    },
  });
}

describe('WhatsApp Web socket ownership between two app instances (real Redis)', () => {
  it('one owns, the other waits; when the owner dies the lease expires and the other takes over', async () => {
    const prefix = `wa-own:${Date.now()}:`;
    const a = createRedisStores({ url: server.url, prefix });
    const b = createRedisStores({ url: server.url, prefix });
    const open = new Set<string>();
    const maxOpen: number[] = [];
    const watch = setInterval(() => maxOpen.push(open.size), 20);
    const ownerA = instance(a, 'A', open);
    const ownerB = instance(b, 'B', open);
    try {
      await ownerA.start();
      await ownerB.start();
      await sleep(TTL_MS * 2); // several renewals
      expect(ownerA.isOwner).toBe(true);
      expect(ownerB.isOwner).toBe(false);
      expect([...open]).toEqual(['A']);

      // A dies without releasing (a crash: no close()): its ticks stop, its socket vanishes with it.
      clearInterval((ownerA as unknown as { timer: NodeJS.Timeout }).timer);
      open.delete('A');
      await sleep(TTL_MS + TICK_MS * 3);
      expect(ownerB.isOwner).toBe(true);
      expect([...open]).toEqual(['B']);
      expect(await a.leases.holder('whatsapp-web:main')).toBe('B');
      // Never two sockets at once.
      expect(Math.max(...maxOpen)).toBe(1);
    } finally {
      clearInterval(watch);
      await ownerB.close();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('an owner that lost its lease closes its socket; a clean close hands over at the next tick', async () => {
    const prefix = `wa-own2:${Date.now()}:`;
    const a = createRedisStores({ url: server.url, prefix });
    const b = createRedisStores({ url: server.url, prefix });
    const open = new Set<string>();
    const ownerA = instance(a, 'A', open);
    const ownerB = instance(b, 'B', open);
    try {
      await ownerA.start();
      await ownerB.start();
      expect([...open]).toEqual(['A']);
      // Someone else holds the lease now (A was paused past its TTL and B got it meanwhile).
      await a.client.set(a.keys.lease('whatsapp-web:main'), 'C', 'PX', 5_000);
      await ownerA.tick();
      expect(ownerA.isOwner).toBe(false);
      expect(open.has('A')).toBe(false);
      await a.client.del(a.keys.lease('whatsapp-web:main'));
      await ownerB.tick();
      expect(ownerB.isOwner).toBe(true);
      await ownerB.close();
      expect(await a.leases.holder('whatsapp-web:main')).toBeNull();
      await ownerA.tick();
      expect([...open]).toEqual(['A']);
    } finally {
      await ownerA.close();
      await ownerB.close();
      await Promise.all([a.close(), b.close()]);
    }
  });
});
