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
  const c = loadConfig({ PORT: '8080', REDIS_URL: 'redis://10.0.0.5:6379/1', CONTENT_DIR: 'content', CONTENT_WATCH: 'false' }, root);
  expect(c.port).toBe(8080);
  expect(c.redisUrl).toBe('redis://10.0.0.5:6379/1');
  expect(c.contentDir).toBe(path.join(root, 'content'));
  expect(c.contentWatch).toBe(false);
});

test('empty variables count as unset', () => {
  expect(loadConfig({ PORT: '', REDIS_URL: '' }, root).port).toBe(3000);
});

test('every bad variable is reported at once, without echoing values', () => {
  const found = problems({ PORT: 'eighty', REDIS_URL: 'http://secret-host', LOG_LEVEL: 'loud', CONTENT_WATCH: 'maybe' });
  expect(found.map((p) => p.variable).sort()).toEqual(['CONTENT_WATCH', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
  expect(JSON.stringify(found)).not.toContain('secret-host');
});

test('production refuses the memory store and requires an admin token', () => {
  const found = problems({ NODE_ENV: 'production' });
  expect(found.map((p) => p.variable).sort()).toEqual(['ADMIN_API_TOKEN', 'REDIS_URL']);
});

test('production may run on memory when explicitly allowed', () => {
  const c = loadConfig({ NODE_ENV: 'production', ALLOW_MEMORY_STORE_IN_PRODUCTION: 'true', ADMIN_API_TOKEN: 'x'.repeat(20) }, root);
  expect(c.mode).toBe('production');
  expect(c.contentWatch).toBe(false);
});

test('console settings: session TTL in hours, demo password, Secure cookies behind https', () => {
  const plain = loadConfig({}, root);
  expect(plain).toMatchObject({ sessionTtlMs: 12 * 3_600_000, secureCookies: false });
  expect(plain.demoPassword).toBeUndefined();
  const https = loadConfig({ SESSION_TTL_HOURS: '0.5', DEMO_PASSWORD: 'demo-pass-1', PUBLIC_URL: 'https://cs.example.com' }, root);
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
