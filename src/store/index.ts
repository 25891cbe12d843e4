import type { Clock } from '../domain/clock';
import { AppError, isAppError } from '../domain/errors';
import { createMemoryStores } from './memory';
import { createRedisStores } from './redis';
import type { Stores } from './types';

/** How long startup waits for Redis to answer before failing loudly. */
export const STARTUP_TIMEOUT_MS = 3_000;

/**
 * Chooses the store: Redis when `redisUrl` is set (and it must answer within
 * `STARTUP_TIMEOUT_MS`, else this rejects with `STORE_UNAVAILABLE` so the process refuses to
 * start), the in-memory stores otherwise.
 *
 * ```ts
 * const stores = await createStores({ redisUrl: config.redisUrl, clock });
 * ```
 */
export async function createStores(options: { redisUrl?: string; clock?: Clock }): Promise<Stores> {
  if (!options.redisUrl) return createMemoryStores({ clock: options.clock });
  const stores = createRedisStores({ url: options.redisUrl, clock: options.clock });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    try {
      await stores.ping();
      return stores;
    } catch (err) {
      if (Date.now() >= deadline || !isAppError(err)) {
        await stores.close();
        throw new AppError(
          'STORE_UNAVAILABLE',
          `Redis did not answer within ${STARTUP_TIMEOUT_MS} ms at startup (check REDIS_URL)`,
          undefined,
          {
            cause: err,
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export type { Stores } from './types';
