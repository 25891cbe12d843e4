/**
 * The Baileys login-state bridge (`useStoreAuthState`) over the app's stores: the same cases on
 * the memory store and on Redis (a private redis-server, two connections on one key prefix), so
 * the two cannot drift. What Baileys writes must come back exactly after a restart: creds and
 * every key category, Buffers as Buffers, null deletes.
 */
import { useStoreAuthState } from '../../../src/channels/whatsapp-web/auth-state';
import { createMemoryStores } from '../../../src/store/memory';
import { createRedisStores } from '../../../src/store/redis';
import type { WhatsAppAuthStore } from '../../../src/store/types';
import { startRedisServer, type TestRedisServer } from '../../support/redis-server';

let redis: TestRedisServer | undefined;
let prefixes = 0;
afterAll(async () => {
  await redis?.stop();
});

interface AuthFixture {
  store: WhatsAppAuthStore;
  /** The store as a restarted process sees it (for Redis: a new connection on the same prefix). */
  restarted: WhatsAppAuthStore;
  cleanup(): Promise<void>;
}

const backends: { name: string; make: () => Promise<AuthFixture> }[] = [
  {
    name: 'memory',
    async make() {
      const stores = createMemoryStores();
      return { store: stores.whatsappAuth, restarted: stores.whatsappAuth, cleanup: () => stores.close() };
    },
  },
  {
    name: 'redis',
    async make() {
      redis ??= await startRedisServer();
      const prefix = `wa-auth-state:${++prefixes}:`;
      const first = createRedisStores({ url: redis.url, prefix });
      const second = createRedisStores({ url: redis.url, prefix });
      return {
        store: first.whatsappAuth,
        restarted: second.whatsappAuth,
        async cleanup() {
          await Promise.all([first.close(), second.close()]);
        },
      };
    },
  },
];

/** A real Buffer (not just any Uint8Array) holding exactly `bytes`. */
function expectBuffer(value: unknown, bytes: number[]): void {
  expect(Buffer.isBuffer(value)).toBe(true);
  expect([...(value as Buffer)]).toEqual(bytes);
}

/** Like Baileys' `proto.Message.AppStateSyncKeyData.fromObject`: a class instance, not plain JSON. */
class SyncKeyData {
  constructor(readonly value: unknown) {}
}
const revive = (category: string, value: unknown) =>
  category === 'app-state-sync-key' ? new SyncKeyData(value) : value;

describe.each(backends)('whatsapp-web auth state over the store ($name)', (backend) => {
  let f: AuthFixture;
  beforeEach(async () => {
    f = await backend.make();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('starts with fresh creds, saves them on creds.update, and reloads them in a new process view', async () => {
    const first = await useStoreAuthState({
      store: f.store,
      session: 'main',
      initCreds: () => ({ registered: false, noiseKey: Buffer.from([1, 2]) }),
    });
    expect(first.state.creds.registered).toBe(false);
    first.state.creds.registered = true; // Baileys mutates creds, then emits creds.update
    await first.saveCreds();
    const again = await useStoreAuthState({
      store: f.restarted,
      session: 'main',
      initCreds: () => ({ registered: false, noiseKey: Buffer.alloc(0) }),
    });
    expect(again.state.creds.registered).toBe(true);
    expectBuffer(again.state.creds.noiseKey, [1, 2]);
  });

  it('passes every key category through and revives values by category', async () => {
    const auth = await useStoreAuthState({
      store: f.store,
      session: 'main',
      initCreds: () => ({}),
      revive: (category, value) => (category === 'app-state-sync-key' ? { revived: value } : value),
    });
    await auth.state.keys.set({ 'app-state-sync-key': { k: { a: 1 } }, 'lid-mapping': { '6281': '999' } });
    expect(await auth.state.keys.get('app-state-sync-key', ['k'])).toEqual({ k: { revived: { a: 1 } } });
    expect(await auth.state.keys.get('lid-mapping', ['6281', 'nope'])).toEqual({ '6281': '999' });
    await auth.clear();
    expect(await auth.state.keys.get('lid-mapping', ['6281'])).toEqual({});
  });

  it('a restart reads back the creds and keys Baileys wrote: Buffers as Buffers, null-deleted ids gone', async () => {
    type Creds = {
      registered: boolean;
      noiseKey: { private: Buffer; public: Buffer };
      me?: { id: string; lid: string };
      signedPreKey?: { keyPair: { private: Buffer; public: Buffer }; signature: Buffer; keyId: number };
    };
    const initCreds = (): Creds => ({
      registered: false,
      noiseKey: { private: Buffer.from([1, 2, 3]), public: Buffer.from([4, 5, 6]) },
    });
    const first = await useStoreAuthState<Creds>({ store: f.store, session: 'main', initCreds, revive });
    // Baileys applies each `creds.update` with Object.assign, then saves.
    Object.assign(first.state.creds, {
      registered: true,
      me: { id: '6281234567890:3@s.whatsapp.net', lid: '123456789:3@lid' },
      signedPreKey: {
        keyPair: { private: Buffer.from([7]), public: new Uint8Array([8, 9]) },
        signature: Buffer.from([250, 251]),
        keyId: 1,
      },
    });
    await first.saveCreds();
    await first.state.keys.set({
      'pre-key': {
        '1': { private: Buffer.from([11]), public: Buffer.from([12]) },
        '2': { private: Buffer.from([21]), public: Buffer.from([22]) },
      },
      session: { '6281234567890.0': Buffer.from('session-bytes') },
      'sender-key': { 'g1::u1::0': Buffer.from([5, 6]) },
      'app-state-sync-key': { AAAA: { keyData: Buffer.from([31, 32]), timestamp: 5 } },
      'lid-mapping': { '6281234567890': '123456789', '123456789_reverse': '6281234567890' },
      'device-list': { '6281234567890': ['0', '3'] },
    });
    // Baileys deletes with null: a used pre-key, a closed session; the rest stays.
    await first.state.keys.set({
      'pre-key': { '1': null },
      session: { '6281234567890.0': null, '6289.0': Buffer.from([99]) },
    });

    const restarted = await useStoreAuthState<Creds>({
      store: f.restarted,
      session: 'main',
      initCreds: () => ({ registered: false, noiseKey: { private: Buffer.alloc(0), public: Buffer.alloc(0) } }),
      revive,
    });
    const creds = restarted.state.creds;
    expect(creds.registered).toBe(true);
    expect(creds.me).toEqual({ id: '6281234567890:3@s.whatsapp.net', lid: '123456789:3@lid' });
    expectBuffer(creds.noiseKey.private, [1, 2, 3]);
    expectBuffer(creds.noiseKey.public, [4, 5, 6]);
    expectBuffer(creds.signedPreKey?.keyPair.private, [7]);
    expectBuffer(creds.signedPreKey?.keyPair.public, [8, 9]);
    expectBuffer(creds.signedPreKey?.signature, [250, 251]);
    expect(creds.signedPreKey?.keyId).toBe(1);

    const keys = restarted.state.keys;
    const preKeys = await keys.get('pre-key', ['1', '2']);
    expect(Object.keys(preKeys)).toEqual(['2']);
    const preKey = preKeys['2'] as { private: Buffer; public: Buffer };
    expectBuffer(preKey.private, [21]);
    expectBuffer(preKey.public, [22]);
    const sessions = await keys.get('session', ['6281234567890.0', '6289.0']);
    expect(Object.keys(sessions)).toEqual(['6289.0']);
    expectBuffer(sessions['6289.0'], [99]);
    expectBuffer((await keys.get('sender-key', ['g1::u1::0']))['g1::u1::0'], [5, 6]);
    const syncKey = (await keys.get('app-state-sync-key', ['AAAA']))['AAAA'];
    expect(syncKey).toBeInstanceOf(SyncKeyData);
    const syncValue = (syncKey as SyncKeyData).value as { keyData: Buffer; timestamp: number };
    expectBuffer(syncValue.keyData, [31, 32]);
    expect(syncValue.timestamp).toBe(5);
    expect(await keys.get('lid-mapping', ['6281234567890', '123456789_reverse', 'nope'])).toEqual({
      '6281234567890': '123456789',
      '123456789_reverse': '6281234567890',
    });
    expect(await keys.get('device-list', ['6281234567890'])).toEqual({ '6281234567890': ['0', '3'] });
  });

  it('clear on one instance forgets the login for the restarted one: fresh creds, no keys', async () => {
    const first = await useStoreAuthState({
      store: f.store,
      session: 'main',
      initCreds: () => ({ registered: false }),
    });
    first.state.creds.registered = true;
    await first.saveCreds();
    await first.state.keys.set({ 'pre-key': { '1': { private: Buffer.from([1]) } }, tctoken: { t: 'x' } });
    await first.clear();
    const restarted = await useStoreAuthState({
      store: f.restarted,
      session: 'main',
      initCreds: () => ({ registered: false }),
    });
    expect(restarted.state.creds.registered).toBe(false);
    expect(await restarted.state.keys.get('pre-key', ['1'])).toEqual({});
    expect(await restarted.state.keys.get('tctoken', ['t'])).toEqual({});
  });
});
