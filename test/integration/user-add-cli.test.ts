/**
 * `npm run user:add` as an operator runs it: a real process, the password on stdin, a real
 * redis-server; then the app on that Redis lets the new user log in.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RunningServer } from '../../src/server';
import { postJson, startTestApp } from '../support/app';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
let redis: TestRedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

/** Runs the CLI with `stdin` piped in; resolves with its exit code and output. */
function userAdd(
  args: string[],
  stdin: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['scripts/user-add.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DOTENV_CONFIG_QUIET: 'true', REDIS_URL: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

test('adds a user to Redis with the password from stdin; the app then lets them log in', async () => {
  const env = { REDIS_URL: `${redis.url}/1` };
  const added = await userAdd(
    [
      '--username',
      'Rina',
      '--role',
      'agent',
      '--team',
      'billing',
      '--team',
      'support_l2,on_call',
      '--display-name',
      'Rina Wulandari',
    ],
    'kata-sandi-rina-1\n',
    env,
  );
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  expect(added.stdout).toBe('Added rina ("Rina Wulandari", agent, teams: billing, support_l2, on_call).\n');
  expect(added.stdout).not.toContain('kata-sandi');

  let app: RunningServer | undefined;
  try {
    app = await startTestApp({ env });
    const ok = await postJson(`${app.url}/api/auth/login`, { username: 'rina', password: 'kata-sandi-rina-1' });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual({
      username: 'rina',
      displayName: 'Rina Wulandari',
      role: 'agent',
      teams: ['billing', 'support_l2', 'on_call'],
    });
    const wrong = await postJson(`${app.url}/api/auth/login`, { username: 'rina', password: 'kata-sandi-rina-2' });
    expect(wrong.status).toBe(401);
  } finally {
    await app?.close();
  }

  const again = await userAdd(['--username', 'rina', '--role', 'admin'], 'another-password\n', env);
  expect(again.code).toBe(1);
  expect(again.stderr).toBe('user:add: a user named "rina" already exists\n');
});

test('refuses invalid values with exit 1 and names the field', async () => {
  const res = await userAdd(['--username', 'budi', '--role', 'agent'], 'panjang-sekali\n', {
    REDIS_URL: `${redis.url}/2`,
  });
  expect(res.code).toBe(1);
  expect(res.stderr).toBe('user:add: teams: an agent needs at least one team\n');
  const short = await userAdd(['--username', 'budi', '--role', 'admin'], 'pendek\n', { REDIS_URL: `${redis.url}/2` });
  expect(short.code).toBe(1);
  expect(short.stderr).toContain('password: 8–1024 characters');
});

test('warns about a team the routing file does not know, and still adds the user', async () => {
  const res = await userAdd(['--username', 'sari', '--role', 'agent', '--team', 'marketing'], 'panjang-sekali\n', {
    REDIS_URL: `${redis.url}/3`,
  });
  expect(res.code).toBe(0);
  expect(res.stderr).toMatch(/^warning: team "marketing" is not in the routing file \(teams: .*billing.*\)\n$/);
});

test('never takes the password from the command line, and needs REDIS_URL (exit 2)', async () => {
  const argv = await userAdd(['--username', 'x', '--role', 'admin', '--password', 'hunter22'], '', {
    REDIS_URL: `${redis.url}/4`,
  });
  expect(argv.code).toBe(2);
  expect(argv.stderr).toContain('passwords are never taken from the command line');

  const memory = await userAdd(['--username', 'x', '--role', 'admin'], 'panjang-sekali\n', {});
  expect(memory.code).toBe(2);
  expect(memory.stderr).toContain('REDIS_URL is not set');

  const usage = await userAdd(['--role', 'root'], '', { REDIS_URL: `${redis.url}/4` });
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain('usage: npm run user:add');
});
