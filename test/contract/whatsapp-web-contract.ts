import type { LeaseStore, TakeoverIndex, WhatsAppAuthStore, WhatsAppWebBoard } from '../../src/store/types';

export interface WhatsAppWebFixture {
  /** Two instances over one store (the same object for memory). */
  auth: WhatsAppAuthStore;
  auth2: WhatsAppAuthStore;
  leases: LeaseStore;
  leases2: LeaseStore;
  takeovers: TakeoverIndex;
  board: WhatsAppWebBoard;
  board2: WhatsAppWebBoard;
  /** Lets `ms` pass for expiry (a manual clock for memory, real time for Redis). */
  passTime(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

/** Short enough for Redis's real clock in tests. */
export const LEASE_TEST_TTL_MS = 300;

/**
 * The WhatsApp Web stores' contract, run against memory and Redis: the Baileys login state must
 * round-trip exactly (creds and every key category, Buffers intact, null deletes, unknown
 * categories too), leases must have one holder at a time, and the takeover index must list what
 * was added.
 */
export function describeWhatsAppWebContract(name: string, make: () => Promise<WhatsAppWebFixture>): void {
  describe(`WhatsApp Web stores contract: ${name}`, () => {
    let f: WhatsAppWebFixture;
    beforeEach(async () => {
      f = await make();
    });
    afterEach(async () => {
      await f.cleanup();
    });

    it('round-trips creds with Buffers and Uint8Arrays intact, seen from another instance', async () => {
      expect(await f.auth.getCreds('main')).toBeNull();
      const creds = {
        noiseKey: { private: Buffer.from([1, 2, 3, 250]), public: new Uint8Array([9, 8, 7]) },
        registrationId: 4242,
        registered: true,
        me: { id: '6281234567890:3@s.whatsapp.net', lid: '123456789:3@lid' },
        nested: [{ b: Buffer.from('halo') }],
      };
      await f.auth.setCreds('main', creds);
      const back = (await f.auth2.getCreds('main')) as typeof creds;
      expect(Buffer.isBuffer(back.noiseKey.private)).toBe(true);
      expect([...back.noiseKey.private]).toEqual([1, 2, 3, 250]);
      expect(Buffer.isBuffer(back.noiseKey.public)).toBe(true);
      expect([...(back.noiseKey.public as Uint8Array)]).toEqual([9, 8, 7]);
      expect(back.registrationId).toBe(4242);
      expect(back.me).toEqual(creds.me);
      expect(back.nested[0]!.b.toString()).toBe('halo');
      // Another session is another login.
      expect(await f.auth.getCreds('other')).toBeNull();
    });

    it('stores keys of every category Baileys 7 writes (lid-mapping, device-list, tctoken included) in one batch', async () => {
      await f.auth.setKeys('main', {
        'pre-key': {
          '1': { private: Buffer.from([1]), public: Buffer.from([2]) },
          '2': { private: Buffer.from([3]), public: Buffer.from([4]) },
        },
        session: { '6281234567890.0': Buffer.from('session-bytes') },
        'sender-key': { 'g1::u1': Buffer.from([5, 6]) },
        'app-state-sync-key': { AAAA: { keyData: Buffer.from([7]), fingerprint: { rawId: 1 }, timestamp: 5 } },
        'app-state-sync-version': { regular: { version: 3, hash: Buffer.alloc(4, 1), indexValueMap: {} } },
        'lid-mapping': { '6281234567890': '123456789', '123456789_reverse': '6281234567890' },
        'device-list': { '6281234567890': ['0', '3'] },
        tctoken: { '123456789@lid': { token: Buffer.from([8, 9]), timestamp: '1733400000' } },
        // A category a later Baileys might add: treated like any other.
        'some-future-category': { x: { y: Buffer.from([10]) } },
      });
      const preKeys = await f.auth2.getKeys('main', 'pre-key', ['1', '2', '3']);
      expect(Object.keys(preKeys).sort()).toEqual(['1', '2']);
      expect([...(preKeys['2'] as { private: Buffer }).private]).toEqual([3]);
      expect(
        ((await f.auth2.getKeys('main', 'session', ['6281234567890.0']))['6281234567890.0'] as Buffer).toString(),
      ).toBe('session-bytes');
      expect(await f.auth2.getKeys('main', 'lid-mapping', ['6281234567890', '123456789_reverse'])).toEqual({
        '6281234567890': '123456789',
        '123456789_reverse': '6281234567890',
      });
      expect(await f.auth2.getKeys('main', 'device-list', ['6281234567890'])).toEqual({ '6281234567890': ['0', '3'] });
      const tc = (await f.auth2.getKeys('main', 'tctoken', ['123456789@lid']))['123456789@lid'] as { token: Buffer };
      expect(Buffer.isBuffer(tc.token)).toBe(true);
      expect([...tc.token]).toEqual([8, 9]);
      const version = (await f.auth2.getKeys('main', 'app-state-sync-version', ['regular']))['regular'] as {
        hash: Buffer;
      };
      expect([...version.hash]).toEqual([1, 1, 1, 1]);
      const future = (await f.auth2.getKeys('main', 'some-future-category', ['x']))['x'] as { y: Buffer };
      expect([...future.y]).toEqual([10]);
      expect(await f.auth2.getKeys('main', 'sender-key', [])).toEqual({});
    });

    it('deletes with null (and undefined), leaving the other ids and categories alone', async () => {
      await f.auth.setKeys('main', {
        'pre-key': { '1': { k: Buffer.from([1]) }, '2': { k: Buffer.from([2]) } },
        'device-list': { a: ['0'] },
      });
      await f.auth.setKeys('main', {
        'pre-key': { '1': null, '3': { k: Buffer.from([3]) } },
        'device-list': { a: undefined },
      });
      expect(Object.keys(await f.auth2.getKeys('main', 'pre-key', ['1', '2', '3'])).sort()).toEqual(['2', '3']);
      expect(await f.auth2.getKeys('main', 'device-list', ['a'])).toEqual({});
      // An empty batch changes nothing.
      await f.auth.setKeys('main', {});
      await f.auth.setKeys('main', { session: {} });
      expect(Object.keys(await f.auth2.getKeys('main', 'pre-key', ['2', '3'])).sort()).toEqual(['2', '3']);
    });

    it('clear forgets creds and every category of the session, and only that session', async () => {
      await f.auth.setCreds('main', { registered: true });
      await f.auth.setKeys('main', {
        'lid-mapping': { a: 'b' },
        'weird{cat}%': { a: 'c' },
        tctoken: { t: Buffer.from([1]) },
      });
      await f.auth.setCreds('other', { registered: true });
      await f.auth.setKeys('other', { 'lid-mapping': { a: 'kept' } });
      await f.auth2.clear('main');
      expect(await f.auth.getCreds('main')).toBeNull();
      expect(await f.auth.getKeys('main', 'lid-mapping', ['a'])).toEqual({});
      expect(await f.auth.getKeys('main', 'weird{cat}%', ['a'])).toEqual({});
      expect(await f.auth.getKeys('main', 'tctoken', ['t'])).toEqual({});
      expect(await f.auth.getCreds('other')).toEqual({ registered: true });
      expect(await f.auth.getKeys('other', 'lid-mapping', ['a'])).toEqual({ a: 'kept' });
    });

    it('a lease has one holder: the other waits, renew and release work only for the owner', async () => {
      expect(await f.leases.holder('wa')).toBeNull();
      expect(await f.leases.acquire('wa', 'A', LEASE_TEST_TTL_MS)).toBe(true);
      expect(await f.leases2.acquire('wa', 'B', LEASE_TEST_TTL_MS)).toBe(false);
      expect(await f.leases2.holder('wa')).toBe('A');
      // Acquiring again as the owner keeps it.
      expect(await f.leases.acquire('wa', 'A', LEASE_TEST_TTL_MS)).toBe(true);
      expect(await f.leases2.renew('wa', 'B', LEASE_TEST_TTL_MS)).toBe(false);
      expect(await f.leases2.release('wa', 'B')).toBe(false);
      expect(await f.leases.holder('wa')).toBe('A');
      expect(await f.leases.renew('wa', 'A', LEASE_TEST_TTL_MS)).toBe(true);
      expect(await f.leases.release('wa', 'A')).toBe(true);
      expect(await f.leases.holder('wa')).toBeNull();
      expect(await f.leases2.acquire('wa', 'B', LEASE_TEST_TTL_MS)).toBe(true);
      // Other names are other leases.
      expect(await f.leases.acquire('wa-2', 'A', LEASE_TEST_TTL_MS)).toBe(true);
    });

    it('an owner that stops renewing loses the lease when it expires; it cannot renew it back', async () => {
      expect(await f.leases.acquire('wa', 'A', LEASE_TEST_TTL_MS)).toBe(true);
      await f.passTime(LEASE_TEST_TTL_MS + 100);
      expect(await f.leases.holder('wa')).toBeNull();
      expect(await f.leases2.acquire('wa', 'B', LEASE_TEST_TTL_MS)).toBe(true);
      expect(await f.leases.renew('wa', 'A', LEASE_TEST_TTL_MS)).toBe(false);
      expect(await f.leases.release('wa', 'A')).toBe(false);
      expect(await f.leases2.holder('wa')).toBe('B');
    });

    it('the takeover index lists what was added, oldest first, and forgets what was removed', async () => {
      await f.takeovers.add({ conversationId: 'whatsapp-web:62811', since: 2_000 });
      await f.takeovers.add({ conversationId: 'whatsapp-web:62822', since: 1_000 });
      // A second add keeps the first time.
      await f.takeovers.add({ conversationId: 'whatsapp-web:62811', since: 3_000 });
      expect(await f.takeovers.list()).toEqual([
        { conversationId: 'whatsapp-web:62822', since: 1_000 },
        { conversationId: 'whatsapp-web:62811', since: 2_000 },
      ]);
      await f.takeovers.remove('whatsapp-web:62822');
      await f.takeovers.remove('whatsapp-web:unknown');
      expect(await f.takeovers.list()).toEqual([{ conversationId: 'whatsapp-web:62811', since: 2_000 }]);
    });

    it('the board shows the posted status to another instance until it expires', async () => {
      expect(await f.board2.getStatus('main')).toBeNull();
      await f.board.setStatus('main', { state: 'qr', qr: '2@abc,def' }, LEASE_TEST_TTL_MS);
      expect(await f.board2.getStatus('main')).toEqual({ state: 'qr', qr: '2@abc,def' });
      await f.board.setStatus('main', { state: 'open', me: '6281234567890' }, LEASE_TEST_TTL_MS);
      expect(await f.board2.getStatus('main')).toEqual({ state: 'open', me: '6281234567890' });
      // Another session is another status.
      expect(await f.board2.getStatus('second')).toBeNull();
      // An owner that stops posting (dead) leaves no stale status behind.
      await f.passTime(LEASE_TEST_TTL_MS + 100);
      expect(await f.board2.getStatus('main')).toBeNull();
    });

    it('requests queued on one instance are taken once, in order, by another', async () => {
      expect(await f.board2.takeRequests('main')).toEqual([]);
      await f.board.request('main', { kind: 'pairing_code', phone: '6281234567890' });
      await f.board2.request('main', { kind: 'send', recipient: '62811', messages: [{ text: 'Halo Kak' }] });
      await f.board.request('second', { kind: 'logout' });
      const [first, second] = await Promise.all([f.board2.takeRequests('main'), f.board.takeRequests('main')]);
      const taken = [...first, ...second];
      expect(taken).toEqual([
        { kind: 'pairing_code', phone: '6281234567890' },
        { kind: 'send', recipient: '62811', messages: [{ text: 'Halo Kak' }] },
      ]);
      // One of the two took them all; the other got nothing.
      expect([first.length, second.length].sort()).toEqual([0, 2]);
      expect(await f.board.takeRequests('main')).toEqual([]);
      expect(await f.board2.takeRequests('second')).toEqual([{ kind: 'logout' }]);
    });
  });
}
