import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors';
import type { LockOptions, OrderedLock } from '../types';
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
 * One caller's place in a lock: what a script needs to acquire, renew or release it. Handed to
 * the `acquire` and `fn` callbacks of `RedisOrderedLock.hold`, so a store can fold its own read or
 * write into the lock's scripts (`RedisConversationStore.withLock`).
 */
export interface RedisLockHold {
  readonly queueKey: string;
  readonly leaseKey: string;
  readonly token: string;
  readonly leaseMs: number;
  readonly queueTtlMs: number;
  /**
   * Tell the lock that a script of the caller's already released it (LOCK_LIB's `lockRelease`):
   * renewals stop and `hold` sends no release of its own.
   */
  released(): void;
}

/**
 * Per-key FIFO lock shared by every instance on the same Redis: a waiting list of random tokens
 * (head = holder) plus a lease key holding the head's token with a TTL. See LOCK_LIB in
 * `scripts.ts` for the state machine. Ordering across instances follows the order in which the
 * tokens reached Redis; from one instance that is call order, because the first script call is
 * sent synchronously inside `run` and one connection keeps command order.
 *
 * Timing uses the wall clock, not the injected `Clock` (leases are Redis TTLs anyway).
 */
export class RedisOrderedLock implements OrderedLock {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  run<T>(key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    return this.hold(
      key,
      options,
      async (h, first) =>
        (await this.client.mjLockAcquire(h.queueKey, h.leaseKey, h.token, h.leaseMs, h.queueTtlMs, first)) === 1
          ? true
          : null,
      () => fn(),
    );
  }

  /**
   * The lock's loop with a caller-supplied acquire script: `acquire(hold, first)` sends one attempt
   * (`first` is 1 on the first call, which is made synchronously, before `hold` awaits anything)
   * and resolves to what the script returned on success, or null to keep waiting. `fn` then runs
   * with the hold and that value; the lease is renewed meanwhile, and the lock released afterwards
   * unless `hold.released()` was called. `run` is this with LOCK_ACQUIRE.
   */
  async hold<A, T>(
    key: string,
    options: LockOptions,
    acquire: (hold: RedisLockHold, first: 0 | 1) => Promise<A | null>,
    fn: (hold: RedisLockHold, acquired: A) => Promise<T>,
  ): Promise<T> {
    const leaseMs = Math.max(1, Math.ceil(options.leaseMs ?? DEFAULT_LEASE_MS));
    const waitMs = Math.max(0, options.waitMs ?? DEFAULT_LOCK_WAIT_MS);
    // Outlives every live participant (they refresh it); only matters when all of them died.
    const queueTtlMs = 2 * Math.max(leaseMs, waitMs) + 1_000;
    const queueKey = this.keys.lockQueue(key);
    const leaseKey = this.keys.lockLease(key);
    const token = randomUUID();
    const startedAt = Date.now();
    const renewal: { timer?: NodeJS.Timeout } = {};
    let letGo = false;
    const hold: RedisLockHold = {
      queueKey,
      leaseKey,
      token,
      leaseMs,
      queueTtlMs,
      released: () => {
        letGo = true;
        clearInterval(renewal.timer);
      },
    };

    let attempt = acquire(hold, 1);
    let acquired: A | null;
    try {
      let delay = POLL_START_MS;
      while ((acquired = await guard(attempt)) === null) {
        const remaining = waitMs - (Date.now() - startedAt);
        if (remaining <= 0) throw new AppError('LOCK_TIMEOUT');
        await sleep(Math.min(delay, remaining));
        delay = Math.min(POLL_MAX_MS, delay * 2);
        attempt = acquire(hold, 0);
      }
    } catch (err) {
      // Leave the line (or pass the lock on, if it arrived meanwhile). After a timeout Redis is up,
      // so wait for it; after a store error do not wait (it would only add another timeout): the
      // withdrawal is sent when Redis is back, or the token is removed as dead once its turn comes.
      const leave = this.client.mjLockRelease(queueKey, leaseKey, token, leaseMs).catch(() => undefined);
      if (err instanceof AppError && err.code === 'LOCK_TIMEOUT') await leave;
      throw err;
    }

    renewal.timer = setInterval(
      () => void this.client.mjLockRenew(queueKey, leaseKey, token, leaseMs, queueTtlMs).catch(() => undefined),
      Math.max(1, Math.floor(leaseMs / 2)),
    );
    renewal.timer.unref();
    try {
      return await fn(hold, acquired);
    } finally {
      clearInterval(renewal.timer);
      // Best effort as above: a failed release costs the next waiter at most one lease.
      if (!letGo) await this.client.mjLockRelease(queueKey, leaseKey, token, leaseMs).catch(() => undefined);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
