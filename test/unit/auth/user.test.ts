import { applyUserPatch, parseUser, publicUser, type User } from '../../../src/auth/user';
import { AppError } from '../../../src/domain/errors';

const HASH = '$scrypt$ln=15,r=8,p=1$c2FtcGxlLXNhbHQtMTIzNA$c2FtcGxlLWRlcml2ZWQta2V5LTAxMjM0NTY3ODkwMTIzNDU2';

const base: User = {
  username: 'agent1',
  displayName: 'Budi',
  role: 'agent',
  teams: ['billing'],
  passwordHash: HASH,
  disabled: false,
  createdAt: 1,
  updatedAt: 1,
};

function problems(value: unknown): string[] {
  try {
    parseUser(value);
  } catch (err) {
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    return ((err as AppError).details as { field: string }[]).map((p) => p.field);
  }
  throw new Error('expected parseUser to throw');
}

test('usernames are trimmed and lower-cased; team duplicates collapse', () => {
  expect(parseUser({ ...base, username: '  Agent1 ', teams: ['billing', 'billing', 'frontline'] })).toEqual({
    ...base,
    teams: ['billing', 'frontline'],
  });
});

test('every invalid field is reported at once', () => {
  expect(
    problems({ ...base, username: 'no spaces', displayName: '', role: 'root', passwordHash: 'hunter2' }).sort(),
  ).toEqual(['displayName', 'passwordHash', 'role', 'username']);
  expect(problems({ ...base, extra: true })).toEqual(['(user)']);
});

test('an agent needs a team; other roles may have none', () => {
  expect(problems({ ...base, teams: [] })).toEqual(['teams']);
  expect(parseUser({ ...base, role: 'content_editor', teams: [] }).teams).toEqual([]);
});

test('a patch is applied as a whole, validated and stamped', () => {
  expect(applyUserPatch(base, { role: 'supervisor', teams: [], displayName: undefined }, 99)).toEqual({
    ...base,
    role: 'supervisor',
    teams: [],
    updatedAt: 99,
  });
  expect(() => applyUserPatch(base, { teams: [] }, 99)).toThrow(AppError);
});

test('the public view never carries the password hash', () => {
  expect(publicUser(base)).toEqual({ username: 'agent1', displayName: 'Budi', role: 'agent', teams: ['billing'] });
  expect(JSON.stringify(publicUser(base))).not.toContain('scrypt');
});
