import { z } from 'zod';
import { AppError } from '../domain/errors';
import { isPasswordHash } from './password';
import { ROLES, type Role } from './roles';

/**
 * Console users. The model is validated with zod wherever it crosses a boundary (CLI input, a
 * record read back from Redis), so a malformed user can never reach a permission check.
 */

/**
 * Usernames are lower-case ASCII: letters, digits, `.`, `_`, `-`, starting with a letter or digit,
 * at most 32 characters. Input is trimmed and lower-cased first, so `Agent1` logs in as `agent1`.
 */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, {
    error: 'username: 1–32 characters a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
  });

/** Team names as used in `intents/routing.yaml` (`frontline`, `billing`, `support_l2`, …). */
export const teamSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { error: 'team: a-z, 0-9, "_" or "-", at most 40 characters' });

const displayNameSchema = z.string().trim().min(1, { error: 'display name must not be empty' }).max(80);

/** The stored user. `passwordHash` never leaves the server (see `publicUser`). */
export const userSchema = z
  .strictObject({
    username: usernameSchema,
    displayName: displayNameSchema,
    role: z.enum(ROLES),
    /** The teams whose queues the user works. Required (at least one) for agents. */
    teams: z.array(teamSchema).max(20),
    passwordHash: z.string().refine(isPasswordHash, { error: 'not a supported password hash' }),
    /** A disabled user cannot log in and loses every session. */
    disabled: z.boolean(),
    createdAt: z.number().int().nonnegative(),
    updatedAt: z.number().int().nonnegative(),
  })
  .refine((u) => u.role !== 'agent' || u.teams.length > 0, {
    error: 'an agent needs at least one team',
    path: ['teams'],
  });

export type User = z.infer<typeof userSchema>;

/** What may change on an existing user. The username and `createdAt` never change. */
export interface UserPatch {
  displayName?: string;
  role?: Role;
  teams?: string[];
  passwordHash?: string;
  disabled?: boolean;
}

/** What clients may see of a user: never the hash. */
export interface PublicUser {
  username: string;
  displayName: string;
  role: Role;
  teams: string[];
}

export function publicUser(user: User): PublicUser {
  return { username: user.username, displayName: user.displayName, role: user.role, teams: [...user.teams] };
}

/**
 * Validates a user record (from a caller or read back from a store). Throws `VALIDATION_FAILED`
 * listing every problem by field; messages come from the schema, never from the input.
 */
export function parseUser(value: unknown): User {
  const result = userSchema.safeParse(value);
  if (result.success) return { ...result.data, teams: [...new Set(result.data.teams)] };
  const problems = result.error.issues.map((i) => ({ field: i.path.join('.') || '(user)', message: i.message }));
  throw new AppError('VALIDATION_FAILED', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

/** `user` with `patch` applied and `updatedAt` stamped, validated as a whole. Pure. */
export function applyUserPatch(user: User, patch: UserPatch, now: number): User {
  const next: Record<string, unknown> = { ...user, updatedAt: now };
  for (const [field, value] of Object.entries(patch)) if (value !== undefined) next[field] = value;
  return parseUser(next);
}

/** Lower-cases and trims a username the way `usernameSchema` does, without validating it. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}
