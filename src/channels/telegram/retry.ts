import { HttpError, type Transformer } from 'grammy';

/** How hard outbound calls try before giving up. Every limit is finite: a reply never hangs forever. */
export interface RetryOptions {
  /** Calls in total, the first included (default 4: one try and three retries). */
  maxAttempts: number;
  /** A 429 asking us to wait longer than this fails at once (default 10 s): the caller records it. */
  maxRetryAfterMs: number;
  /** First wait after a 5xx or a network error; doubles each time (default 500 ms). */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 4, maxRetryAfterMs: 10_000, baseDelayMs: 500 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A grammY API transformer that retries what Telegram asks us to retry, boundedly: a 429 after its
 * `retry_after` (when that is at most `maxRetryAfterMs`), a 5xx or a network failure after an
 * exponential backoff. Other errors (400 chat not found, 403 bot blocked) are final at once.
 * After the last attempt the error goes to the caller, which records the undelivered message.
 *
 * (`@grammyjs/auto-retry` does the same, but its limits are infinite by default and its 5xx
 * backoff is not adjustable for tests; this is the whole of it.)
 */
export function boundedRetry(
  options: Partial<RetryOptions> = {},
  wait: (ms: number) => Promise<void> = sleep,
): Transformer {
  const o = { ...DEFAULT_RETRY, ...options };
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      let delay: number;
      try {
        const res = await prev(method, payload, signal);
        if (res.ok) return res;
        if (res.error_code === 429) {
          const after = (res.parameters?.retry_after ?? 1) * 1000;
          if (after > o.maxRetryAfterMs || attempt >= o.maxAttempts) return res;
          delay = after;
        } else if (res.error_code >= 500 && attempt < o.maxAttempts) {
          delay = o.baseDelayMs * 2 ** (attempt - 1);
        } else {
          return res;
        }
      } catch (err) {
        if (!(err instanceof HttpError) || attempt >= o.maxAttempts || signal?.aborted) throw err;
        delay = o.baseDelayMs * 2 ** (attempt - 1);
      }
      await wait(delay);
    }
  };
}
