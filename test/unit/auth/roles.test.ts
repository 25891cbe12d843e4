import { can, isRole, PERMISSIONS, ROLE_PERMISSIONS, ROLES, rolesWith } from '../../../src/auth/roles';

test('admins can do everything', () => {
  for (const permission of PERMISSIONS) expect(can('admin', permission)).toBe(true);
});

test('agents work tickets but do not reassign, supervise, edit content or manage users', () => {
  expect(can('agent', 'tickets:read')).toBe(true);
  expect(can('agent', 'tickets:work')).toBe(true);
  for (const p of [
    'tickets:reassign',
    'dashboard:view',
    'nlu:parse',
    'content:edit',
    'users:manage',
    'audit:read',
  ] as const) {
    expect(can('agent', p)).toBe(false);
  }
});

test('supervisors add reassignment, the dashboard and the audit log, not content or users', () => {
  for (const p of ['tickets:read', 'tickets:work', 'tickets:reassign', 'dashboard:view', 'audit:read'] as const) {
    expect(can('supervisor', p)).toBe(true);
  }
  expect(can('supervisor', 'content:edit')).toBe(false);
  expect(can('supervisor', 'users:manage')).toBe(false);
});

test('content editors test and edit content and never see tickets', () => {
  expect(can('content_editor', 'nlu:parse')).toBe(true);
  expect(can('content_editor', 'content:edit')).toBe(true);
  expect(can('content_editor', 'tickets:read')).toBe(false);
  expect(can('content_editor', 'customers:notes')).toBe(false);
});

test('only admins manage users; rolesWith answers "who may do this"', () => {
  expect(rolesWith('users:manage')).toEqual(['admin']);
  expect(rolesWith('nlu:parse')).toEqual(['admin', 'content_editor']);
  expect(rolesWith('tickets:work')).toEqual(['admin', 'supervisor', 'agent']);
});

test('every role maps to known permissions only', () => {
  for (const role of ROLES) {
    expect(isRole(role)).toBe(true);
    for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
  }
  expect(isRole('root')).toBe(false);
  expect(isRole(undefined)).toBe(false);
});
