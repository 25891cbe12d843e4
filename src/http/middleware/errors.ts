import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isAppError } from '../../domain/errors';
import type { Logger } from '../../observability/logger';

/** Body of every error response: a stable code clients can match on, and a readable message. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Unknown routes get a JSON 404 (not Express' HTML page). */
export const notFound: RequestHandler = (_req, _res, next) => next(new AppError('NOT_FOUND'));

/**
 * Maps errors to JSON responses. Body-parser failures (bad JSON, too large, wrong content type)
 * become 400/413/415 with stable codes; anything unexpected is a 500 whose details stay in the log.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      logger.error({ err: safeError(err), code: appError.code }, 'request failed');
    }
    const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
    if (appError.details !== undefined) body.error.details = appError.details;
    res.status(appError.status).json(body);
  };
}

function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = err as { type?: string; status?: number } | undefined;
  switch (e?.type) {
    case 'entity.parse.failed':
      return new AppError('BAD_REQUEST', 'The body is not valid JSON');
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding');
    default:
      return new AppError('INTERNAL');
  }
}

/** What of an unexpected error is safe to log: name, message, stack (no request data). */
function safeError(err: unknown): { name?: string; message?: string; stack?: string } {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { message: String(err) };
}
