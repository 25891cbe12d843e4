/**
 * Runs work one key at a time, in call order: one customer's messages leave in the order they were
 * queued, while different customers proceed in parallel. A failure does not stop the chain (the
 * next task runs anyway) and is returned to the caller of that task only.
 *
 * ```ts
 * const chain = new KeyedChain();
 * await chain.run('628123', () => send(first));
 * ```
 */
export class KeyedChain {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

/** Work that outlives the request that started it; `settle()` waits for all of it (on shutdown). */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();

  track(promise: Promise<unknown>): void {
    const quiet = promise.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(quiet);
    void quiet.then(() => this.pending.delete(quiet));
  }

  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
