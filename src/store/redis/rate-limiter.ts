import type { RateLimiter, RateLimitResult } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * Fixed windows as counters with a TTL: `hit` is one script (INCR, and PEXPIRE when it opened the
 * window), so concurrent hits from any number of instances are counted exactly. Windows follow
 * Redis's clock.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const [count, ttl] = await guard(this.client.mjRateHit(this.keys.rateLimit(key), Math.max(1, Math.ceil(windowMs))));
    const allowed = count <= limit;
    return { allowed, count, retryAfterMs: allowed ? 0 : Math.max(1, ttl) };
  }

  async refund(key: string): Promise<void> {
    await guard(this.client.mjRateRefund(this.keys.rateLimit(key)));
  }

  async reset(key: string): Promise<void> {
    await guard(this.client.del(this.keys.rateLimit(key)));
  }
}
