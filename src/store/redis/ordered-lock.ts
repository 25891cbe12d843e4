import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors';
import type { OrderedLock } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/** A holder that stops renewing (crashed) loses the key after this long, unless told otherwise. */
export const DEFAULT_LEASE_MS = 30_000;
/** How long `run` waits for its turn unless told otherwise. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;
/** Waiters poll with a doubling delay from ~2 ms up to 25 ms: fast hand-offs, bounded load. */
const POLL_START_MS = 2;
const POLL_MAX_MS = 25;

/**
 * Per-key FIFO lock shared by every instance on the same Redis: a waiting list of random tokens
 * (head = holder) plus a lease key holding the head's token with a TTL. See the LOCK_* scripts
 * for the state machine. Ordering across instances follows the order in which the tokens reached
 * Redis; from one instance that is call order, because the first script call is sent
 * synchronously inside `run` and one connection keeps command order.
 *
 * Timing uses the wall clock, not the injected `Clock` (leases are Redis TTLs anyway).
 */
export class RedisOrderedLock implements OrderedLock {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async run<T>(key: string, fn: () => Promise<T>, options: { leaseMs?: number; waitMs?: number } = {}): Promise<T> {
    const leaseMs = Math.max(1, Math.ceil(options.leaseMs ?? DEFAULT_LEASE_MS));
    const waitMs = Math.max(0, options.waitMs ?? DEFAULT_LOCK_WAIT_MS);
    // Outlives every live participant (they refresh it); only matters when all of them died.
    const queueTtlMs = 2 * Math.max(leaseMs, waitMs) + 1_000;
    const queueKey = this.keys.lockQueue(key);
    const leaseKey = this.keys.lockLease(key);
    const token = randomUUID();
    const startedAt = Date.now();

    let attempt = this.client.mjLockAcquire(queueKey, leaseKey, token, leaseMs, queueTtlMs, 1);
    try {
      let delay = POLL_START_MS;
      while ((await guard(attempt)) !== 1) {
        const remaining = waitMs - (Date.now() - startedAt);
        if (remaining <= 0) throw new AppError('LOCK_TIMEOUT');
        await sleep(Math.min(delay, remaining));
        delay = Math.min(POLL_MAX_MS, delay * 2);
        attempt = this.client.mjLockAcquire(queueKey, leaseKey, token, leaseMs, queueTtlMs, 0);
      }
    } catch (err) {
      // Leave the line (or pass the lock on, if it arrived meanwhile). After a timeout Redis is up,
      // so wait for it; after a store error do not wait (it would only add another timeout): the
      // withdrawal is sent when Redis is back, or the token is removed as dead once its turn comes.
      const leave = this.client.mjLockRelease(queueKey, leaseKey, token, leaseMs).catch(() => undefined);
      if (err instanceof AppError && err.code === 'LOCK_TIMEOUT') await leave;
      throw err;
    }

    const renewal = setInterval(
      () => void this.client.mjLockRenew(queueKey, leaseKey, token, leaseMs, queueTtlMs).catch(() => undefined),
      Math.max(1, Math.floor(leaseMs / 2)),
    );
    renewal.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renewal);
      // Best effort as above: a failed release costs the next waiter at most one lease.
      await this.client.mjLockRelease(queueKey, leaseKey, token, leaseMs).catch(() => undefined);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
