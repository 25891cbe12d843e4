import path from 'node:path';
import { loadConfig, loadStoreConfig } from '../../../src/config';
import { AppError } from '../../../src/domain/errors';

const root = '/srv/app';

function problems(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env, root);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CONFIG_INVALID');
    return (err as AppError).details as { variable: string; message: string }[];
  }
  throw new Error('expected loadConfig to throw');
}

test('no configuration at all gives the embedded defaults', () => {
  const c = loadConfig({}, root);
  expect(c).toMatchObject({ mode: 'development', host: '127.0.0.1', port: 3000, contentWatch: true, bodyLimitKb: 64 });
  expect(c.redisUrl).toBeUndefined();
  expect(c.contentDir).toBe(root);
});

test('values are parsed and typed', () => {
  const c = loadConfig(
    { PORT: '8080', REDIS_URL: 'redis://10.0.0.5:6379/1', CONTENT_DIR: 'content', CONTENT_WATCH: 'false' },
    root,
  );
  expect(c.port).toBe(8080);
  expect(c.redisUrl).toBe('redis://10.0.0.5:6379/1');
  expect(c.contentDir).toBe(path.join(root, 'content'));
  expect(c.contentWatch).toBe(false);
});

test('empty variables count as unset', () => {
  expect(loadConfig({ PORT: '', REDIS_URL: '' }, root).port).toBe(3000);
});

test('every bad variable is reported at once, without echoing values', () => {
  const found = problems({
    PORT: 'eighty',
    REDIS_URL: 'http://secret-host',
    LOG_LEVEL: 'loud',
    CONTENT_WATCH: 'maybe',
  });
  expect(found.map((p) => p.variable).sort()).toEqual(['CONTENT_WATCH', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
  expect(JSON.stringify(found)).not.toContain('secret-host');
});

test('production refuses the memory store and requires an admin token', () => {
  const found = problems({ NODE_ENV: 'production' });
  expect(found.map((p) => p.variable).sort()).toEqual(['ADMIN_API_TOKEN', 'REDIS_URL']);
});

test('production may run on memory when explicitly allowed', () => {
  const c = loadConfig(
    { NODE_ENV: 'production', ALLOW_MEMORY_STORE_IN_PRODUCTION: 'true', ADMIN_API_TOKEN: 'x'.repeat(20) },
    root,
  );
  expect(c.mode).toBe('production');
  expect(c.contentWatch).toBe(false);
});

test('console settings: session TTL in hours, demo password, Secure cookies behind https', () => {
  const plain = loadConfig({}, root);
  expect(plain).toMatchObject({ sessionTtlMs: 12 * 3_600_000, secureCookies: false });
  expect(plain.demoPassword).toBeUndefined();
  const https = loadConfig(
    { SESSION_TTL_HOURS: '0.5', DEMO_PASSWORD: 'demo-pass-1', PUBLIC_URL: 'https://cs.example.com' },
    root,
  );
  expect(https).toMatchObject({ sessionTtlMs: 1_800_000, demoPassword: 'demo-pass-1', secureCookies: true });
  const found = problems({ SESSION_TTL_HOURS: '0', DEMO_PASSWORD: 'short' });
  expect(found.map((p) => p.variable).sort()).toEqual(['DEMO_PASSWORD', 'SESSION_TTL_HOURS']);
  expect(JSON.stringify(found)).not.toContain('short');
});

test('command-line tools read only REDIS_URL and CONTENT_DIR (a production env without its token is fine)', () => {
  expect(loadStoreConfig({ NODE_ENV: 'production', REDIS_URL: 'redis://10.0.0.5:6379' }, root)).toEqual({
    redisUrl: 'redis://10.0.0.5:6379',
    contentDir: root,
  });
  expect(loadStoreConfig({ REDIS_URL: '' }, root).redisUrl).toBeUndefined();
  expect(() => loadStoreConfig({ REDIS_URL: 'http://nope' }, root)).toThrow(/REDIS_URL/);
});

describe('Telegram', () => {
  const token = '123456789:AAEfakeTokenForConfigTests_abcdefgh';
  const secret = 'config-webhook-secret-0123456789';

  test('off without a token', () => {
    expect(loadConfig({}, root).telegram).toBeUndefined();
  });

  test('webhook mode (the default) with its secret; the API root loses a trailing slash; PUBLIC_URL is the fallback when https', () => {
    const c = loadConfig(
      {
        TELEGRAM_BOT_TOKEN: token,
        TELEGRAM_WEBHOOK_SECRET: secret,
        PUBLIC_URL: 'https://cs.majujaya.example',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9/',
      },
      root,
    );
    expect(c.telegram).toEqual({
      token,
      mode: 'webhook',
      webhookSecret: secret,
      publicUrl: 'https://cs.majujaya.example',
      apiRoot: 'http://127.0.0.1:9',
    });
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_MODE: 'polling' }, root).telegram).toMatchObject({
      mode: 'polling',
      apiRoot: 'https://api.telegram.org',
    });
  });

  test('webhook mode requires the secret; bad values are named, never echoed', () => {
    expect(problems({ TELEGRAM_BOT_TOKEN: token })).toEqual([
      { variable: 'TELEGRAM_WEBHOOK_SECRET', message: expect.stringContaining('TELEGRAM_MODE=polling') },
    ]);
    const bad = problems({
      TELEGRAM_BOT_TOKEN: 'not-a-token',
      TELEGRAM_MODE: 'push',
      TELEGRAM_WEBHOOK_SECRET: 'short',
      TELEGRAM_PUBLIC_URL: 'http://cs.majujaya.example',
    });
    expect(bad.map((p) => p.variable).sort()).toEqual([
      'TELEGRAM_BOT_TOKEN',
      'TELEGRAM_MODE',
      'TELEGRAM_PUBLIC_URL',
      'TELEGRAM_WEBHOOK_SECRET',
    ]);
    expect(JSON.stringify(bad)).not.toContain('not-a-token');
    expect(problems({ TELEGRAM_WEBHOOK_SECRET: secret })).toEqual([
      { variable: 'TELEGRAM_BOT_TOKEN', message: 'required when other TELEGRAM_ variables are set' },
    ]);
  });

  test("the agents' desk: a supergroup id and the Telegram user → console user mapping, both or neither", () => {
    const base = { TELEGRAM_BOT_TOKEN: token, TELEGRAM_MODE: 'polling' };
    expect(loadConfig(base, root).telegram!.desk).toBeUndefined();
    const desk = loadConfig(
      { ...base, TELEGRAM_AGENTS_CHAT_ID: '-1002233445566', TELEGRAM_AGENTS: '12345:agent1, 67890:Supervisor,' },
      root,
    ).telegram!.desk!;
    expect(desk.chatId).toBe(-1002233445566);
    expect([...desk.agents]).toEqual([
      [12345, 'agent1'],
      [67890, 'supervisor'],
    ]);
    expect(problems({ ...base, TELEGRAM_AGENTS_CHAT_ID: '-100223' })).toEqual([
      { variable: 'TELEGRAM_AGENTS', message: expect.stringContaining('12345:agent1') },
    ]);
    expect(problems({ ...base, TELEGRAM_AGENTS: '12345:agent1' })).toEqual([
      { variable: 'TELEGRAM_AGENTS_CHAT_ID', message: expect.stringContaining('-100') },
    ]);
    const bad = problems({ ...base, TELEGRAM_AGENTS_CHAT_ID: '2233445566', TELEGRAM_AGENTS: 'agent1:12345' });
    expect(bad.map((p) => p.variable).sort()).toEqual(['TELEGRAM_AGENTS', 'TELEGRAM_AGENTS_CHAT_ID']);
    expect(problems({ TELEGRAM_AGENTS_CHAT_ID: '-1002233445566', TELEGRAM_AGENTS: '1:agent1' })).toEqual([
      { variable: 'TELEGRAM_BOT_TOKEN', message: 'required when other TELEGRAM_ variables are set' },
    ]);
  });
});

describe('WhatsApp Cloud API settings', () => {
  const complete = {
    WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAGfakeAccessTokenForTests0123456789',
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_CLOUD_APP_SECRET: 'fakeappsecret0123456789abcdef01',
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify-token-0123456789',
  };

  test('off without the token; with all four on, the Graph API version pinned by default', () => {
    expect(loadConfig({}, root).whatsappCloud).toBeUndefined();
    expect(loadConfig(complete, root).whatsappCloud).toEqual({
      accessToken: complete.WHATSAPP_CLOUD_ACCESS_TOKEN,
      phoneNumberId: '106540352242922',
      appSecret: complete.WHATSAPP_CLOUD_APP_SECRET,
      verifyToken: complete.WHATSAPP_CLOUD_VERIFY_TOKEN,
      apiBase: expect.stringMatching(/^https:\/\/graph\.facebook\.com\/v\d+\.\d+$/),
      reengageTemplate: undefined,
    });
    expect(
      loadConfig({ ...complete, WHATSAPP_CLOUD_REENGAGE_TEMPLATE: 'balasan_petugas' }, root).whatsappCloud!
        .reengageTemplate,
    ).toEqual({ name: 'balasan_petugas', language: 'id' });
  });

  test('a token without the rest names every missing variable at once, and never echoes a secret', () => {
    const missing = problems({ WHATSAPP_CLOUD_ACCESS_TOKEN: complete.WHATSAPP_CLOUD_ACCESS_TOKEN });
    expect(missing.map((p) => p.variable).sort()).toEqual([
      'WHATSAPP_CLOUD_APP_SECRET',
      'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
      'WHATSAPP_CLOUD_VERIFY_TOKEN',
    ]);
    const bad = problems({ ...complete, WHATSAPP_CLOUD_APP_SECRET: 'has spaces and-dashes!' });
    expect(bad.map((p) => p.variable)).toEqual(['WHATSAPP_CLOUD_APP_SECRET']);
    expect(JSON.stringify(bad)).not.toContain('has spaces');
  });
});
