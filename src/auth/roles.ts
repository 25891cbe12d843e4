/**
 * Console roles and what each may do. Routes ask `can(role, 'tickets:work')`, never
 * "is the role one of [...]", so giving a role a new power is one line here and every route that
 * checks that permission follows.
 */
export const ROLES = ['admin', 'supervisor', 'agent', 'content_editor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Everything a console user can be allowed to do. The names are `<area>:<action>`.
 *
 * | permission | lets the user |
 * |---|---|
 * | `tickets:read` | see the queue and open tickets (context packet, transcript) |
 * | `tickets:work` | claim, reply, write notes, set waiting/escalated, resolve |
 * | `tickets:reassign` | transfer or reassign tickets owned by others |
 * | `dashboard:view` | the supervisor view (queue depth, SLA attainment, agents online) |
 * | `customers:notes` | read and write customer notes (light CRM) |
 * | `nlu:parse` | try sentences against the live NLU (`POST /api/nlu/parse`) |
 * | `content:edit` | edit intents, examples, templates and routing from the console |
 * | `users:manage` | add users, change roles and passwords, disable accounts |
 * | `audit:read` | read the audit log |
 * | `channels:manage` | connect, log in or log out a channel's account (WhatsApp Web) |
 */
export const PERMISSIONS = [
  'tickets:read',
  'tickets:work',
  'tickets:reassign',
  'dashboard:view',
  'customers:notes',
  'nlu:parse',
  'content:edit',
  'users:manage',
  'audit:read',
  'channels:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The role → permissions map. Admins can do everything; the others what their job needs. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  supervisor: ['tickets:read', 'tickets:work', 'tickets:reassign', 'dashboard:view', 'customers:notes', 'audit:read'],
  agent: ['tickets:read', 'tickets:work', 'customers:notes'],
  content_editor: ['nlu:parse', 'content:edit'],
};

/** True when `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** The roles that hold `permission` (for error details and documentation). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => can(role, permission));
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
