import { randomToken, type Session } from '../../auth/session';
import type { Clock } from '../../domain/clock';
import type { SessionStore } from '../types';

/** How often (in clock time) expired sessions are swept, so the map does not grow without bound. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Sessions in a `Map`, expiring by the injected clock (tests move a `ManualClock` instead of
 * sleeping). Expired sessions are invisible at once and swept at most once per minute.
 */
export class MemorySessionStore implements SessionStore {
  private readonly byId = new Map<string, Session>();
  private nextSweepAt: number;

  constructor(private readonly clock: Clock) {
    this.nextSweepAt = clock.now() + SWEEP_INTERVAL_MS;
  }

  async create(username: string, ttlMs: number): Promise<Session> {
    const now = this.clock.now();
    this.sweep(now);
    const session: Session = {
      id: randomToken(),
      username,
      csrfToken: randomToken(),
      createdAt: now,
      expiresAt: now + Math.max(1, Math.ceil(ttlMs)),
    };
    this.byId.set(session.id, session);
    return { ...session };
  }

  async get(id: string): Promise<Session | null> {
    const session = this.live(id);
    return session ? { ...session } : null;
  }

  async touch(id: string, ttlMs: number): Promise<Session | null> {
    const session = this.live(id);
    if (!session) return null;
    session.expiresAt = this.clock.now() + Math.max(1, Math.ceil(ttlMs));
    return { ...session };
  }

  async delete(id: string): Promise<void> {
    this.byId.delete(id);
  }

  async deleteAllOf(username: string): Promise<number> {
    const now = this.clock.now();
    let deleted = 0;
    for (const [id, session] of this.byId) {
      if (session.username !== username) continue;
      this.byId.delete(id);
      if (session.expiresAt > now) deleted++;
    }
    return deleted;
  }

  /** Sessions held, expired ones included until the next sweep; for tests. */
  get size(): number {
    return this.byId.size;
  }

  private live(id: string): Session | undefined {
    const now = this.clock.now();
    this.sweep(now);
    const session = this.byId.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= now) {
      this.byId.delete(id);
      return undefined;
    }
    return session;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    for (const [id, session] of this.byId) if (session.expiresAt <= now) this.byId.delete(id);
  }
}
