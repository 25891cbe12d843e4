/**
 * AuthService over the memory stores with a hand-moved clock: login outcomes, login rate limits,
 * sliding sessions, and what ends a session.
 */
import { hashPassword } from '../../../src/auth/password';
import { AuthService } from '../../../src/auth/service';
import { ManualClock } from '../../../src/domain/clock';
import { createMemoryStores } from '../../../src/store/memory';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 6, 2, 0, 0);

async function setup() {
  const clock = new ManualClock(T0);
  const stores = createMemoryStores({ clock });
  const auth = new AuthService({
    ...stores,
    clock,
    sessionTtlMs: 12 * HOUR,
    loginLimits: { perUsername: 3, perIp: 5, windowMs: 15 * 60_000 },
  });
  // A cheaper hash than the default keeps the many logins below fast; the parameters travel with it.
  const cheap = await hashPassword('benar-sekali', { ln: 10, r: 8, p: 1 });
  for (const [username, role, teams] of [
    ['agent1', 'agent', ['billing']],
    ['agent2', 'agent', ['on_call']],
    ['editor', 'content_editor', []],
  ] as const) {
    await stores.users.create({
      username,
      displayName: username,
      role,
      teams: [...teams],
      passwordHash: cheap,
      disabled: false,
      createdAt: T0,
      updatedAt: T0,
    });
  }
  return { clock, stores, auth };
}

const login = (auth: AuthService, username: string, password: string, ip = '10.0.0.1') =>
  auth.login({ username, password, ip });

test('the right password opens a session for the stored user (username in any case)', async () => {
  const { auth, stores } = await setup();
  const { user, session } = await login(auth, ' Agent1', 'benar-sekali');
  expect(user.username).toBe('agent1');
  expect(session).toMatchObject({ username: 'agent1', createdAt: T0, expiresAt: T0 + 12 * HOUR });
  expect(await stores.sessions.get(session.id)).toEqual(session);
});

test('unknown user, wrong password and disabled account fail alike', async () => {
  const { auth } = await setup();
  await auth.setDisabled('agent2', true);
  const failures = await Promise.all([
    login(auth, 'agent1', 'salah-sekali').catch((e: unknown) => e),
    login(auth, 'nobody', 'benar-sekali').catch((e: unknown) => e),
    login(auth, 'agent2', 'benar-sekali').catch((e: unknown) => e),
  ]);
  for (const e of failures)
    expect(e).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Wrong username or password' });
});

test('after `perUsername` failures even the right password is refused until the window ends', async () => {
  const { auth, clock } = await setup();
  for (let i = 0; i < 3; i++)
    await expect(login(auth, 'agent1', `salah-${i}`)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
  clock.advance(60_000);
  await expect(login(auth, 'agent1', 'benar-sekali', '10.0.0.2')).rejects.toMatchObject({
    code: 'RATE_LIMITED',
    details: { retryAfterMs: 14 * 60_000 },
  });
  // Another user is not affected.
  await expect(login(auth, 'editor', 'benar-sekali')).resolves.toBeDefined();
  clock.advance(14 * 60_000);
  await expect(login(auth, 'agent1', 'benar-sekali')).resolves.toBeDefined();
});

test('a success gives the attempts back: the username starts over', async () => {
  const { auth } = await setup();
  for (let i = 0; i < 2; i++)
    await expect(login(auth, 'agent1', 'salah')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
  await login(auth, 'agent1', 'benar-sekali');
  for (let i = 0; i < 2; i++)
    await expect(login(auth, 'agent1', 'salah')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
  await expect(login(auth, 'agent1', 'benar-sekali')).resolves.toBeDefined();
});

test('one address spraying many usernames hits the per-IP limit', async () => {
  const { auth } = await setup();
  for (const name of ['a1', 'a2', 'a3', 'a4', 'a5']) {
    await expect(login(auth, name, 'tebak-tebak', '203.0.113.9')).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
  }
  await expect(login(auth, 'agent1', 'benar-sekali', '203.0.113.9')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  await expect(login(auth, 'agent1', 'benar-sekali', '198.51.100.1')).resolves.toBeDefined();
});

test('sessions slide forward with use (at most once a minute) and end after the idle TTL', async () => {
  const { auth, clock } = await setup();
  const { session } = await login(auth, 'agent1', 'benar-sekali');
  clock.advance(30_000);
  expect(await auth.authenticate(session.id)).toMatchObject({
    refreshed: false,
    session: { expiresAt: T0 + 12 * HOUR },
  });
  clock.advance(11 * HOUR);
  const used = await auth.authenticate(session.id);
  expect(used).toMatchObject({ refreshed: true, user: { username: 'agent1' } });
  expect(used!.session.expiresAt).toBe(clock.now() + 12 * HOUR);
  clock.advance(12 * HOUR);
  expect(await auth.authenticate(session.id)).toBeNull();
});

test('role changes apply to live sessions at once; disabling or a new password ends them', async () => {
  const { auth, stores } = await setup();
  const { session } = await login(auth, 'agent1', 'benar-sekali');
  await stores.users.update('agent1', { role: 'supervisor' });
  expect((await auth.authenticate(session.id))?.user.role).toBe('supervisor');

  await auth.setPassword('agent1', 'kata-sandi-baru');
  expect(await auth.authenticate(session.id)).toBeNull();
  await expect(login(auth, 'agent1', 'benar-sekali')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
  const fresh = await login(auth, 'agent1', 'kata-sandi-baru');

  await auth.setDisabled('agent1', true);
  expect(await auth.authenticate(fresh.session.id)).toBeNull();
  expect(await stores.sessions.get(fresh.session.id)).toBeNull();
});

test('createUser hashes the password, refuses short passwords and taken names', async () => {
  const { auth, stores } = await setup();
  const user = await auth.createUser({ username: 'Sari', role: 'supervisor', password: 'panjang-sekali' });
  expect(user).toMatchObject({ username: 'sari', displayName: 'sari', role: 'supervisor', teams: [], disabled: false });
  expect(user.passwordHash).toMatch(/^\$scrypt\$/);
  expect(JSON.stringify(await stores.users.get('sari'))).not.toContain('panjang-sekali');
  await expect(
    auth.createUser({ username: 'sari', role: 'agent', teams: ['billing'], password: 'panjang-sekali' }),
  ).rejects.toMatchObject({
    code: 'USER_EXISTS',
  });
  await expect(
    auth.createUser({ username: 'rina', role: 'agent', teams: ['billing'], password: 'pendek' }),
  ).rejects.toMatchObject({
    code: 'VALIDATION_FAILED',
  });
  await expect(auth.createUser({ username: 'rina', role: 'agent', password: 'panjang-sekali' })).rejects.toMatchObject({
    code: 'VALIDATION_FAILED',
    details: [{ field: 'teams', message: 'an agent needs at least one team' }],
  });
  await expect(login(auth, 'sari', 'panjang-sekali')).resolves.toBeDefined();
});
