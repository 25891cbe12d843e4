/**
 * Console authentication over real HTTP with the real wiring, once on the memory store (demo users
 * of the embedded default) and once on a real redis-server (users added through the service, as
 * the CLI does): login, cookie flags, /me, logout, CSRF, login rate limits, and 401 vs 403 on a
 * protected route (`POST /api/nlu/parse` needs `nlu:parse`: admin or content_editor, or the token).
 */
import { seedDemoUsers } from '../../src/auth/demo-users';
import { ManualClock } from '../../src/domain/clock';
import type { RunningServer } from '../../src/server';
import { startTestApp } from '../support/app';
import { call, PASSWORD } from '../support/console';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';

jest.setTimeout(30_000);

const ADMIN_TOKEN = 'integration-admin-token-0123456789';
let redis: TestRedisServer | undefined;
let redisDb = 0;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

/** Logs in and returns the reply plus the `name=value` cookie pair to send back. */
async function login(app: RunningServer, username: string, password = PASSWORD, headers: Record<string, string> = {}) {
  const reply = await call(app, 'POST', '/api/auth/login', { body: { username, password }, headers });
  const setCookie = reply.setCookies.find((c) => c.startsWith('mj_session='));
  return { ...reply, setCookie, cookie: setCookie?.split(';')[0] ?? '', csrf: reply.body?.csrfToken as string };
}

const parse = (app: RunningServer, options: Parameters<typeof call>[3] = {}) =>
  call(app, 'POST', '/api/nlu/parse', { body: { text: 'jam buka toko?' }, ...options });

type Backend = { name: string; start(): Promise<RunningServer> };
const backends: Backend[] = [
  {
    name: 'memory',
    start: () => startTestApp({ env: { DEMO_PASSWORD: PASSWORD, ADMIN_API_TOKEN: ADMIN_TOKEN, TRUST_PROXY: '1' } }),
  },
  {
    name: 'redis',
    async start() {
      const app = await startTestApp({
        env: { REDIS_URL: `${redis!.url}/${++redisDb}`, ADMIN_API_TOKEN: ADMIN_TOKEN, TRUST_PROXY: '1' },
      });
      await seedDemoUsers(app.auth, PASSWORD);
      return app;
    },
  },
];

describe.each(backends)('console auth over HTTP ($name store)', (backend) => {
  let app: RunningServer;
  beforeAll(async () => {
    app = await backend.start();
  });
  afterAll(async () => {
    await app?.close();
  });

  test('login sets an HttpOnly, SameSite=Strict session cookie and returns the user and a CSRF token', async () => {
    const res = await login(app, 'agent1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { username: 'agent1', displayName: 'Budi', role: 'agent', teams: ['frontline', 'billing', 'support_l2'] },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(Number),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|passwordHash/);
    const attributes = res.setCookie!.split(';').map((a) => a.trim());
    expect(attributes[0]).toMatch(/^mj_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/api', 'HttpOnly', 'SameSite=Strict', 'Max-Age=43200']));
    expect(attributes).not.toContain('Secure');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('a wrong password and an unknown user get the same 401 and no cookie', async () => {
    const wrong = await login(app, 'agent2', 'not-the-password');
    const unknown = await login(app, 'nobody-here', PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong username or password' } });
      expect(res.setCookie).toBeUndefined();
    }
  });

  test('a malformed login is a 400 listing the fields; a non-JSON one a 415', async () => {
    const res = await call(app, 'POST', '/api/auth/login', { body: { username: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['password', 'username']);
    const form = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=admin&password=x',
    });
    expect(form.status).toBe(415);
  });

  test('GET /api/auth/me answers for the session (CSRF token included) and 401 without one', async () => {
    const { cookie, csrf } = await login(app, 'supervisor');
    const me = await call(app, 'GET', '/api/auth/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { username: 'supervisor', role: 'supervisor', teams: ['supervisor'] },
      via: 'session',
      csrfToken: csrf,
    });
    expect((await call(app, 'GET', '/api/auth/me')).status).toBe(401);
    const stale = await call(app, 'GET', '/api/auth/me', { cookie: 'mj_session=forged-or-expired' });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('UNAUTHORIZED');
    // The useless cookie is cleared.
    expect(stale.setCookies.find((c) => c.startsWith('mj_session=;'))).toMatch(/Expires=Thu, 01 Jan 1970/);
  });

  test('logout needs the CSRF token, then ends the session and clears the cookie', async () => {
    const { cookie, csrf } = await login(app, 'agent2');
    const forged = await call(app, 'POST', '/api/auth/logout', { cookie });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('CSRF_FAILED');
    expect((await call(app, 'GET', '/api/auth/me', { cookie })).status).toBe(200);

    const out = await call(app, 'POST', '/api/auth/logout', { cookie, csrf });
    expect(out.status).toBe(204);
    expect(out.setCookies.find((c) => c.startsWith('mj_session=;'))).toMatch(/Path=\/api/);
    expect((await call(app, 'GET', '/api/auth/me', { cookie })).status).toBe(401);
    // Logging out again (or without a session) is harmless.
    expect((await call(app, 'POST', '/api/auth/logout', { cookie })).status).toBe(204);
  });

  test('state-changing requests with a session cookie need that session’s token in X-CSRF-Token', async () => {
    const editor = await login(app, 'editor');
    const other = await login(app, 'admin');
    const missing = await parse(app, { cookie: editor.cookie });
    expect(missing.status).toBe(403);
    expect(missing.body).toEqual({
      error: { code: 'CSRF_FAILED', message: 'Missing or wrong X-CSRF-Token header for this session' },
    });
    const wrong = await parse(app, { cookie: editor.cookie, csrf: other.csrf });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('CSRF_FAILED');
    const right = await parse(app, { cookie: editor.cookie, csrf: editor.csrf });
    expect(right.status).toBe(200);
    expect(right.body.intent).toBe('store_hours');
  });

  test('a protected route answers 401 without a session, 403 for a role without the permission', async () => {
    const anonymous = await parse(app);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHORIZED');

    const agent = await login(app, 'agent1');
    const forbidden = await parse(app, { cookie: agent.cookie, csrf: agent.csrf });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toMatchObject({
      code: 'FORBIDDEN',
      details: { permission: 'nlu:parse', roles: ['admin', 'content_editor'] },
    });

    const admin = await login(app, 'admin');
    expect((await parse(app, { cookie: admin.cookie, csrf: admin.csrf })).status).toBe(200);
  });

  test('the admin token acts as admin without cookie or CSRF token; a wrong token is 403', async () => {
    const ok = await parse(app, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
    const me = await call(app, 'GET', '/api/auth/me', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(me.body).toEqual({
      user: { username: 'api-token', displayName: 'Admin API token', role: 'admin', teams: [] },
      via: 'token',
    });
    const wrong = await parse(app, { headers: { authorization: 'Bearer not-the-admin-token-at-all' } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('FORBIDDEN');
  });

  test('after 5 failed logins for one username the 6th answers 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await login(app, 'Supervisor', `tebakan-${i}`, { 'x-forwarded-for': `198.51.100.${i}` });
      expect(res.status).toBe(401);
    }
    const blocked = await login(app, 'supervisor', PASSWORD, { 'x-forwarded-for': '198.51.100.77' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(blocked.body.error.details).toEqual({ retryAfterSeconds: retryAfter });
    expect(blocked.setCookie).toBeUndefined();
    // Other users are unaffected.
    expect((await login(app, 'agent2')).status).toBe(200);
  });

  test('one address trying 20 usernames is refused the 21st attempt', async () => {
    const from = { 'x-forwarded-for': '203.0.113.50' };
    for (let i = 0; i < 20; i++) expect((await login(app, `spray${i}`, 'tebak-tebak', from)).status).toBe(401);
    const blocked = await login(app, 'agent1', PASSWORD, from);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(app, 'agent1', PASSWORD, { 'x-forwarded-for': '203.0.113.51' })).status).toBe(200);
  });
});

describe('client addresses without a trusted proxy', () => {
  test('a forged X-Forwarded-For is ignored: the per-IP limit still counts the real address', async () => {
    const app = await startTestApp({ env: { DEMO_PASSWORD: PASSWORD } }); // TRUST_PROXY unset: 0
    try {
      for (let i = 0; i < 20; i++) {
        const forged = { 'x-forwarded-for': `192.0.2.${i}` };
        expect((await login(app, `spray${i}`, 'tebak-tebak', forged)).status).toBe(401);
      }
      const blocked = await login(app, 'agent1', PASSWORD, { 'x-forwarded-for': '192.0.2.200' });
      expect(blocked.status).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('session expiry and cookie security', () => {
  test('an idle session expires after SESSION_TTL_HOURS: 401, while a used one slides forward', async () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 6, 2, 0, 0));
    const app = await startTestApp({ clock, env: { DEMO_PASSWORD: PASSWORD, SESSION_TTL_HOURS: '2' } });
    try {
      const idle = await login(app, 'agent1');
      const busy = await login(app, 'agent2');
      expect(idle.setCookie).toContain('Max-Age=7200');
      clock.advance(90 * 60_000);
      const used = await call(app, 'GET', '/api/auth/me', { cookie: busy.cookie });
      expect(used.status).toBe(200);
      // The slid session's cookie is sent again with the full lifetime.
      expect(used.setCookies.find((c) => c.startsWith('mj_session='))).toContain('Max-Age=7200');
      clock.advance(45 * 60_000);
      expect((await call(app, 'GET', '/api/auth/me', { cookie: idle.cookie })).status).toBe(401);
      expect((await call(app, 'GET', '/api/auth/me', { cookie: busy.cookie })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  test('cookies are Secure when PUBLIC_URL is https', async () => {
    const app = await startTestApp({ env: { DEMO_PASSWORD: PASSWORD, PUBLIC_URL: 'https://cs.majujaya.example' } });
    try {
      // `app.url` is the public URL; talk to the local port directly.
      const res = await fetch(`http://127.0.0.1:${app.port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      expect(
        res.headers
          .getSetCookie()[0]!
          .split(';')
          .map((a) => a.trim()),
      ).toContain('Secure');
    } finally {
      await app.close();
    }
  });

  test('production creates no demo users', async () => {
    const app = await startTestApp({
      env: {
        NODE_ENV: 'production',
        ALLOW_MEMORY_STORE_IN_PRODUCTION: 'true',
        ADMIN_API_TOKEN: ADMIN_TOKEN,
        DEMO_PASSWORD: PASSWORD,
      },
    });
    try {
      expect(app.demoLogins).toBeUndefined();
      expect(await app.stores.users.list()).toEqual([]);
      expect((await login(app, 'admin')).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  test('the embedded default draws a random demo password when DEMO_PASSWORD is unset', async () => {
    const app = await startTestApp();
    try {
      expect(app.demoLogins).toMatchObject({ passwordGenerated: true });
      expect(app.demoLogins!.users.map((u) => u.username)).toEqual([
        'admin',
        'supervisor',
        'agent1',
        'agent2',
        'editor',
      ]);
      expect((await login(app, 'editor', app.demoLogins!.password)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
