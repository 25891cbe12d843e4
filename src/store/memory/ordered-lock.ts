import { AppError } from '../../domain/errors';
import type { LockOptions, OrderedLock } from '../types';

/** How long `run` waits for its turn unless told otherwise. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;

interface KeyQueue {
  /** Settles when the last caller in line (holder or waiter) is done. */
  tail: Promise<void>;
  /** Callers holding or waiting; the entry is dropped at 0 so idle keys cost no memory. */
  pending: number;
}

/**
 * Per-key FIFO lock for one process: each key has a promise chain and every `run` appends a link
 * synchronously, so turns follow call order. A waiter that times out settles its own link at once,
 * which lets the chain continue to the caller behind it as soon as the holder finishes.
 *
 * `leaseMs` is accepted and ignored: inside one process a holder cannot die while the process
 * lives, and cutting off a slow but live holder would break mutual exclusion. Waiting uses real
 * timers (not the injected clock): a `ManualClock` that never moves must not freeze the lock.
 */
export class MemoryOrderedLock implements OrderedLock {
  private readonly queues = new Map<string, KeyQueue>();

  async run<T>(key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    return this.runReleasable(key, () => fn(), options);
  }

  /**
   * `run`, where `fn` may let the key go before it returns by calling `release` (idempotent): the
   * caller behind it starts then, while `fn` finishes whatever no longer needs the key.
   * `MemoryConversationStore.withLock` uses it for `saveAndRelease`.
   */
  async runReleasable<T>(key: string, fn: (release: () => void) => Promise<T>, options: LockOptions = {}): Promise<T> {
    const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { tail: Promise.resolve(), pending: 0 };
      this.queues.set(key, queue);
    }
    const previous = queue.tail;
    let finish!: () => void;
    const mine = new Promise<void>((resolve) => (finish = resolve));
    queue.tail = previous.then(() => mine);
    queue.pending += 1;
    try {
      await waitTurn(previous, waitMs);
      return await fn(finish);
    } finally {
      finish();
      queue.pending -= 1;
      if (queue.pending === 0 && this.queues.get(key) === queue) this.queues.delete(key);
    }
  }

  /** Callers holding or waiting for `key` (0 when idle). For tests and diagnostics. */
  queueLength(key: string): number {
    return this.queues.get(key)?.pending ?? 0;
  }

  /** Keys with a holder or waiters; idle keys are forgotten. For tests and diagnostics. */
  get activeKeys(): number {
    return this.queues.size;
  }
}

function waitTurn(previous: Promise<void>, waitMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new AppError('LOCK_TIMEOUT')), Math.max(0, waitMs));
    void previous.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
