import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../domain/errors';

/**
 * Protects content-staff APIs with a bearer token. With no token configured (the embedded
 * development default) the route is open; production config refuses to start without one.
 * Issue #4 replaces this with console sessions and roles.
 */
export function requireAdminToken(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (!token) return next();
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match?.[1]) return next(new AppError('UNAUTHORIZED'));
    const given = Buffer.from(match[1]);
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return next(new AppError('FORBIDDEN'));
    }
    next();
  };
}
