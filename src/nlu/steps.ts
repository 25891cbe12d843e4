/**
 * Long computations as steps: a generator that yields between chunks of work (an epoch of
 * training, a few hundred examples' features) and returns the result. The same code then runs in
 * one go (`runSteps`: tools, cross-validation, tests) or spread over turns of the event loop
 * (`engine/brain.ts`: a hot-reload retrain while the bot keeps answering with the old model).
 * Nothing here knows about the event loop, so the NLU stays free of I/O.
 *
 * ```ts
 * function* count(n: number): Steps<number> {
 *   for (let i = 0; i < n; i++) yield;
 *   return n;
 * }
 * runSteps(count(3)); // 3
 * ```
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once and returns the result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
