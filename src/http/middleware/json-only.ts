import type { RequestHandler } from 'express';
import { AppError } from '../../domain/errors';

/**
 * POST and PUT bodies must be JSON; anything else gets 415 instead of a confusing validation error. A POST
 * without a body (`/api/auth/logout`, action routes) is fine: there is nothing to misread.
 */
export const requireJson: RequestHandler = (req, _res, next) => {
  if ((req.method === 'POST' || req.method === 'PUT') && hasBody(req.headers) && !req.is('application/json')) {
    return next(new AppError('UNSUPPORTED_MEDIA_TYPE'));
  }
  next();
};

/** Whether the request announces a body (a chunked one, or a non-zero Content-Length). */
function hasBody(headers: { 'transfer-encoding'?: string; 'content-length'?: string }): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}
