/**
 * `npm run telegram:webhook -- set|delete|info` as an operator runs it: a real process against the
 * fake Bot API server; the token never appears in what it prints.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const TOKEN = '123456789:AAEfakeTokenForCliTests_abcdefghijklm';
const SECRET = 'cli-webhook-secret-0123456789';
let tg: FakeTelegram;

beforeAll(async () => {
  tg = await startFakeTelegram();
});
afterAll(async () => {
  await tg.stop();
});

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['scripts/telegram-webhook.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TELEGRAM_API_ROOT: tg.url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('set registers the webhook URL with the secret and the update kinds; info shows it; delete removes it', async () => {
  const env = {
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_PUBLIC_URL: 'https://cs.majujaya.example/',
  };
  const set = await cli(['set'], env);
  expect(set).toMatchObject({
    code: 0,
    stdout: 'webhook set: https://cs.majujaya.example/channels/telegram/webhook\n',
  });
  expect(tg.callsOf('setWebhook')[0]!.params).toEqual({
    url: 'https://cs.majujaya.example/channels/telegram/webhook',
    secret_token: SECRET,
    allowed_updates: ['message', 'edited_message', 'callback_query'],
    drop_pending_updates: false,
    max_connections: 40,
  });
  const info = await cli(['info'], env);
  expect(info.code).toBe(0);
  expect(JSON.parse(info.stdout)).toMatchObject({ url: 'https://cs.majujaya.example/channels/telegram/webhook' });
  const del = await cli(['delete'], env);
  expect(del.code).toBe(0);
  expect(tg.callsOf('deleteWebhook')[0]!.params).toEqual({ drop_pending_updates: false });
  for (const out of [set, info, del]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
});

test('usage and configuration problems exit 2 without calling Telegram', async () => {
  const before = tg.calls.length;
  expect((await cli([], { TELEGRAM_BOT_TOKEN: TOKEN })).code).toBe(2);
  expect((await cli(['frobnicate'], { TELEGRAM_BOT_TOKEN: TOKEN })).code).toBe(2);
  const noToken = await cli(['info'], {});
  expect(noToken.code).toBe(2);
  expect(noToken.stderr).toContain('TELEGRAM_BOT_TOKEN');
  const noSecret = await cli(['set'], {
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_PUBLIC_URL: 'https://cs.majujaya.example',
  });
  expect(noSecret.code).toBe(2);
  expect(noSecret.stderr).toContain('TELEGRAM_WEBHOOK_SECRET');
  const http = await cli(['set'], {
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_PUBLIC_URL: 'http://x.example',
  });
  expect(http.code).toBe(2);
  expect(http.stderr).toContain('TELEGRAM_PUBLIC_URL');
  expect(tg.calls.length).toBe(before);
});

test('a refusal from Telegram exits 1 and says why', async () => {
  tg.fail('getWebhookInfo', { status: 500 });
  const res = await cli(['info'], { TELEGRAM_BOT_TOKEN: TOKEN });
  expect(res.code).toBe(1);
  expect(res.stderr).toContain('Telegram refused: 500');
  expect(res.stderr).not.toContain(TOKEN);
});
