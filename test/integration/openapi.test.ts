/**
 * The OpenAPI document served at /api/openapi.json describes every route the app registers under
 * /api (and the channel and health routes), and nothing that does not exist. The app runs with the
 * Telegram and WhatsApp Cloud webhooks on (against local fakes), so their routes are registered too.
 */
import { registeredRoutes } from '../../src/http/routes/openapi';
import type { RunningServer } from '../../src/server';
import { startTestApp } from '../support/app';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram';
import { WA_ACCESS_TOKEN, whatsappCloudEnv } from '../support/whatsapp-cloud';

jest.setTimeout(30_000);

let app: RunningServer;
let tg: FakeTelegram;
let graph: FakeGraphApi;
beforeAll(async () => {
  tg = await startFakeTelegram();
  graph = await startFakeGraphApi(WA_ACCESS_TOKEN);
  app = await startTestApp({
    env: {
      TELEGRAM_BOT_TOKEN: '123456789:AAEfakeTokenForOpenApi_abcdefghijklmnop',
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'openapi-test-secret-0123456789',
      TELEGRAM_API_ROOT: tg.url,
      ...whatsappCloudEnv(graph),
    },
  });
});
afterAll(async () => {
  await app?.close();
  await tg?.stop();
  await graph?.stop();
});

async function documented(): Promise<{
  doc: { openapi: string; paths: Record<string, Record<string, unknown>> };
  routes: string[];
}> {
  const res = await fetch(`${app.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${p}`),
  );
  return { doc, routes };
}

test('every registered /api route appears in the served OpenAPI document', async () => {
  const { doc, routes } = await documented();
  expect(doc.openapi).toMatch(/^3\./);
  const registered = registeredRoutes(app.app);
  const api = registered.filter((r) => r.split(' ')[1]!.startsWith('/api/'));
  expect(api.length).toBeGreaterThanOrEqual(20);
  expect(api.filter((r) => !routes.includes(r))).toEqual([]);
});

test('the document lists no route the app does not have, and the other public routes too', async () => {
  const { routes } = await documented();
  const registered = registeredRoutes(app.app);
  expect(routes.filter((r) => !registered.includes(r))).toEqual([]);
  expect(routes).toEqual(
    expect.arrayContaining([
      'POST /channels/rest/messages',
      'GET /channels/rest/messages',
      'POST /channels/telegram/webhook',
      'GET /channels/whatsapp/webhook',
      'POST /channels/whatsapp/webhook',
      'GET /healthz',
    ]),
  );
});

test('every protected route documents its 401 and 403', async () => {
  const { doc } = await documented();
  const publicRoutes = ['/api/auth/login', '/api/auth/logout', '/api/openapi.json'];
  for (const [p, ops] of Object.entries(doc.paths)) {
    if (!p.startsWith('/api/') || publicRoutes.includes(p)) continue;
    for (const [method, op] of Object.entries(ops)) {
      if (method === 'parameters') continue;
      const codes = Object.keys((op as { responses: Record<string, unknown> }).responses);
      expect({ route: `${method} ${p}`, has401: codes.includes('401'), has403: codes.includes('403') }).toEqual({
        route: `${method} ${p}`,
        has401: true,
        has403: true,
      });
    }
  }
});
