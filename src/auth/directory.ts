import type { Clock } from '../domain/clock';
import type { UserStore } from '../store/types';

/** How long a looked-up display name is reused before the store is asked again. */
export const DIRECTORY_TTL_MS = 60_000;

/**
 * Display names of console users for screens and events ("taken by Budi"), with a short cache so
 * a queue of fifty tickets does not cost fifty store reads. Unknown usernames (a deleted user,
 * `auto-assign`) show as themselves.
 */
export class StaffDirectory {
  private readonly cache = new Map<string, { name: string; until: number }>();

  constructor(
    private readonly users: UserStore,
    private readonly clock: Clock,
    private readonly ttlMs: number = DIRECTORY_TTL_MS,
  ) {}

  async displayName(username: string): Promise<string> {
    const now = this.clock.now();
    const hit = this.cache.get(username);
    if (hit && hit.until > now) return hit.name;
    const user = await this.users.get(username);
    const name = user?.displayName ?? username;
    this.cache.set(username, { name, until: now + this.ttlMs });
    return name;
  }

  /** `{username: displayName}` for every distinct name given. */
  async names(usernames: Iterable<string | undefined>): Promise<Record<string, string>> {
    const distinct = [...new Set([...usernames].filter((u): u is string => u !== undefined && u !== ''))];
    const pairs = await Promise.all(distinct.map(async (u) => [u, await this.displayName(u)] as const));
    return Object.fromEntries(pairs);
  }
}
