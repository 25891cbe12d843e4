import { AppError, isAppError } from '../../domain/errors';

/** Redis replies that mean "not serving right now" rather than "this command is wrong". */
const UNAVAILABLE_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|NOREPLICAS)\b/;

/**
 * Maps an ioredis failure to an `AppError` by cause: connection trouble (closed, retries
 * exhausted, command timeout, a Redis that is loading or failing over) is `STORE_UNAVAILABLE`;
 * any other error reply is a bug on our side (`INTERNAL`). The original error stays as `cause`
 * for logs; the message never carries keys or values.
 */
export function toStoreError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = err as Error | undefined;
  if (e?.name === 'ReplyError' && !UNAVAILABLE_REPLY.test(e.message)) {
    return new AppError('INTERNAL', 'Redis rejected a store command', undefined, { cause: err });
  }
  return new AppError('STORE_UNAVAILABLE', undefined, undefined, { cause: err });
}

/** Awaits a Redis call and rethrows failures through `toStoreError`. */
export async function guard<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw toStoreError(err);
  }
}

/** Runs a pipeline and returns each reply, rethrowing the first failure through `toStoreError`. */
export async function execPipeline(pipeline: {
  exec(): Promise<[Error | null, unknown][] | null>;
}): Promise<unknown[]> {
  const results = await guard(pipeline.exec());
  if (!results) throw new AppError('STORE_UNAVAILABLE');
  return results.map(([err, value]) => {
    if (err) throw toStoreError(err);
    return value;
  });
}
