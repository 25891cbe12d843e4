/**
 * `/api/nlu/parse` in production: the admin token (or an admin/content_editor session, see
 * `auth.test.ts`) is needed; the customer channel needs nothing.
 */
import { postJson, startTestApp } from '../support/app';
import type { RunningServer } from '../../src/server';

const token = 'test-admin-token-0123456789';
let app: RunningServer;

beforeAll(async () => {
  app = await startTestApp({ env: { NODE_ENV: 'production', ALLOW_MEMORY_STORE_IN_PRODUCTION: 'true', ADMIN_API_TOKEN: token } });
});
afterAll(async () => {
  await app.close();
});

const parse = (headers: Record<string, string>) => postJson(`${app.url}/api/nlu/parse`, { text: 'jam buka toko?' }, headers);

test('no token → 401', async () => {
  const { status, body } = await parse({});
  expect(status).toBe(401);
  expect(body.error.code).toBe('UNAUTHORIZED');
});

test('wrong token → 403', async () => {
  const { status, body } = await parse({ authorization: 'Bearer wrong-token-wrong-token-xx' });
  expect(status).toBe(403);
  expect(body.error.code).toBe('FORBIDDEN');
});

test('the right token → the parse', async () => {
  const { status, body } = await parse({ authorization: `Bearer ${token}` });
  expect(status).toBe(200);
  expect(body.intent).toBe('store_hours');
});

test('the customer channel itself needs no token', async () => {
  const { status } = await postJson(`${app.url}/channels/rest/messages`, { sender: 'p1', text: 'halo' });
  expect(status).toBe(200);
});
