import type { RequestHandler } from 'express';
import { AppError } from '../../domain/errors';

/** POST bodies must be JSON; anything else gets 415 instead of a confusing validation error. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (req.method === 'POST' && !req.is('application/json')) {
    return next(new AppError('UNSUPPORTED_MEDIA_TYPE'));
  }
  next();
};
