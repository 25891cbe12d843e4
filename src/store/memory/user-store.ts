import { applyUserPatch, normalizeUsername, parseUser, type User, type UserPatch } from '../../auth/user';
import type { Clock } from '../../domain/clock';
import { AppError } from '../../domain/errors';
import type { UserStore } from '../types';

/**
 * Users in a `Map` keyed by username, validated on the way in and deep-copied in and out. Every
 * method finishes its read-modify-write without awaiting, so in one process updates are atomic.
 */
export class MemoryUserStore implements UserStore {
  private readonly byName = new Map<string, User>();

  constructor(private readonly clock: Clock) {}

  async create(user: User): Promise<User> {
    const valid = parseUser(user);
    if (this.byName.has(valid.username)) throw new AppError('USER_EXISTS');
    this.byName.set(valid.username, structuredClone(valid));
    return structuredClone(valid);
  }

  async get(username: string): Promise<User | null> {
    const stored = this.byName.get(normalizeUsername(username));
    return stored ? structuredClone(stored) : null;
  }

  async list(): Promise<User[]> {
    return [...this.byName.values()]
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0))
      .map((u) => structuredClone(u));
  }

  async update(username: string, patch: UserPatch): Promise<User> {
    const stored = this.byName.get(normalizeUsername(username));
    if (!stored) throw new AppError('NOT_FOUND', 'No such user');
    const next = applyUserPatch(stored, structuredClone(patch), this.clock.now());
    this.byName.set(next.username, next);
    return structuredClone(next);
  }
}
