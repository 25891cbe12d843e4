import { dummyPasswordHash, hashPassword, isPasswordHash, verifyPassword } from '../../../src/auth/password';

test('a hash verifies its own password and no other', async () => {
  const hash = await hashPassword('rahasia-toko-123');
  expect(await verifyPassword('rahasia-toko-123', hash)).toBe(true);
  expect(await verifyPassword('rahasia-toko-124', hash)).toBe(false);
  expect(await verifyPassword('Rahasia-toko-123', hash)).toBe(false);
  expect(await verifyPassword('', hash)).toBe(false);
});

test('the hash is salted and carries its parameters, never the password', async () => {
  const [one, two] = await Promise.all([hashPassword('sama-sama-saja'), hashPassword('sama-sama-saja')]);
  expect(one).not.toBe(two);
  expect(one).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  expect(one).not.toContain('sama');
  expect(isPasswordHash(one)).toBe(true);
});

test('hashes made with other parameters keep verifying (they travel with the hash)', async () => {
  const cheap = await hashPassword('parameter-lama', { ln: 10, r: 8, p: 1 });
  expect(cheap).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
  expect(await verifyPassword('parameter-lama', cheap)).toBe(true);
  expect(await verifyPassword('parameter-baru', cheap)).toBe(false);
});

test('a malformed, truncated or absurdly expensive stored hash is just "no match"', async () => {
  const good = await hashPassword('apa-saja-boleh');
  const [, , params, salt, key] = good.split('$');
  for (const bad of [
    '',
    'plain-text-password',
    `$scrypt$${params}$${salt}`,
    `$scrypt$${params}$${salt}$${key!.slice(0, 8)}`,
    `$scrypt$ln=40,r=8,p=1$${salt}$${key}`,
    `$argon2id$v=19$m=65536,t=3,p=4$${salt}$${key}`,
  ]) {
    expect(isPasswordHash(bad)).toBe(false);
    await expect(verifyPassword('apa-saja-boleh', bad)).resolves.toBe(false);
  }
});

test('Unicode passwords are compared in normalized form (é typed either way matches)', async () => {
  const hash = await hashPassword('kopi-caf\u00e9-enak');
  expect(await verifyPassword('kopi-cafe\u0301-enak', hash)).toBe(true);
});

test('the dummy hash (for unknown users) is a real hash, made once', async () => {
  const dummy = await dummyPasswordHash();
  expect(isPasswordHash(dummy)).toBe(true);
  expect(await dummyPasswordHash()).toBe(dummy);
  expect(await verifyPassword('', dummy)).toBe(false);
});
