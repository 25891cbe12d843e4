/**
 * Two app instances share one Redis, and one customer's messages arrive at both at once: every
 * message is processed exactly once, one at a time (never interleaved), and none is lost.
 */
import { startRedisServer } from '../support/redis-server';
import { postJson, startTestApp } from '../support/app';
import type { RunningServer } from '../../src/server';

// Starting two apps trains the NLU twice; under a full parallel run that can pass Jest's 5 s default.
jest.setTimeout(30_000);

let redis: Awaited<ReturnType<typeof startRedisServer>>;
let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  redis = await startRedisServer();
  a = await startTestApp({ env: { REDIS_URL: `${redis.url}/3` } });
  b = await startTestApp({ env: { REDIS_URL: `${redis.url}/3` } });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
});

test('concurrent messages of one customer on two instances: none lost, none interleaved', async () => {
  const texts = ['halo kak', 'jam buka toko brp?', 'alamat tokonya dimana', 'makasih ya', 'harga paket internet brp', 'cara bayar apa aja', 'ongkir ke bandung brp', 'garansi berapa lama', 'bisa retur?', 'dadah'];
  const sent = texts.map((text, i) =>
    postJson(`${(i % 2 ? a : b).url}/channels/rest/messages`, { sender: 'twin-1', text, messageId: `t-${i}` }),
  );
  const results = await Promise.all(sent);
  for (const r of results) expect(r.status).toBe(200);

  const conv = await a.stores.conversations.get('rest:twin-1');
  expect(conv!.version).toBe(texts.length);
  const turns = conv!.transcript;
  expect(turns.filter((t) => t.from === 'customer').map((t) => t.text).sort()).toEqual([...texts].sort());
  // Each customer turn is immediately followed by the bot's reply to it: processing never overlapped.
  for (let i = 0; i < turns.length; i += 2) {
    expect(turns[i]!.from).toBe('customer');
    expect(turns[i + 1]!.from).toBe('bot');
  }
  // Re-delivering all of them to the other instance changes nothing.
  const again = await Promise.all(texts.map((text, i) => postJson(`${(i % 2 ? b : a).url}/channels/rest/messages`, { sender: 'twin-1', text, messageId: `t-${i}` })));
  expect(again.every((r) => r.body.duplicate === true)).toBe(true);
  expect((await b.stores.conversations.get('rest:twin-1'))!.version).toBe(texts.length);
});
