import type { Clock } from '../../domain/clock';
import type { DedupStore } from '../types';

/** How often (in clock time) expired keys are swept, so the map does not grow without bound. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Seen-keys with an expiry read from the injected clock (tests move a `ManualClock` instead of
 * sleeping). Expired entries are ignored on read and swept at most once per `SWEEP_INTERVAL_MS`.
 */
export class MemoryDedupStore implements DedupStore {
  private readonly expiresAt = new Map<string, number>();
  private nextSweepAt: number;

  constructor(private readonly clock: Clock) {
    this.nextSweepAt = clock.now() + SWEEP_INTERVAL_MS;
  }

  async firstSeen(key: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    this.sweep(now);
    const until = this.expiresAt.get(key);
    if (until !== undefined && until > now) return false;
    this.expiresAt.set(key, now + Math.max(1, ttlMs));
    return true;
  }

  async forget(key: string): Promise<void> {
    this.expiresAt.delete(key);
  }

  /** How many keys are held (expired ones included until the next sweep); for tests. */
  get size(): number {
    return this.expiresAt.size;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    for (const [key, until] of this.expiresAt) if (until <= now) this.expiresAt.delete(key);
  }
}
