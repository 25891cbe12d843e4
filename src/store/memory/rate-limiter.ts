import type { Clock } from '../../domain/clock';
import type { RateLimiter, RateLimitResult } from '../types';

/** How often (in clock time) finished windows are swept. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Fixed-window counters in a `Map`, windows timed by the injected clock. A window starts with the
 * first hit on a key and lasts `windowMs`; the next hit after it starts a new one.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private nextSweepAt: number;

  constructor(private readonly clock: Clock) {
    this.nextSweepAt = clock.now() + SWEEP_INTERVAL_MS;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const now = this.clock.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + Math.max(1, Math.ceil(windowMs)) };
      this.windows.set(key, window);
    }
    window.count++;
    const allowed = window.count <= limit;
    return { allowed, count: window.count, retryAfterMs: allowed ? 0 : window.endsAt - now };
  }

  async refund(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (window && window.endsAt > this.clock.now() && window.count > 0) window.count--;
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  /** Keys held, finished windows included until the next sweep; for tests. */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
