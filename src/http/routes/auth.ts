import { Router } from 'express';
import { z } from 'zod';
import type { AuthService } from '../../auth/service';
import { publicUser } from '../../auth/user';
import { AppError, isAppError } from '../../domain/errors';
import type { Auditor } from '../audit';
import { parseCookies } from '../cookies';
import { authOf, clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../middleware/auth';
import { parseOrThrow } from '../middleware/validate';

/** Full path of the login route (exempt from CSRF: it is not authenticated by a cookie). */
export const LOGIN_PATH = '/api/auth/login';

const loginSchema = z.strictObject({
  username: z.string().min(1, { error: 'username must not be empty' }).max(64),
  password: z.string().min(1, { error: 'password must not be empty' }).max(1024),
});

/**
 * Console authentication over HTTP:
 *
 * - `POST /api/auth/login {"username","password"}` → 200 `{user: {username, displayName, role,
 *   teams}, csrfToken, expiresAt}` and the `mj_session` cookie. 401 `INVALID_CREDENTIALS` for any
 *   wrong combination (unknown user included), 429 `RATE_LIMITED` with `Retry-After` (seconds).
 * - `POST /api/auth/logout` → 204, ends the session and clears the cookie (CSRF token required
 *   while the session is live).
 * - `GET /api/auth/me` → the caller (`csrfToken` too for a session, so a reloaded page gets it
 *   back); 401 without a live session.
 *
 * Logins and logouts are recorded in the audit log. Responses are `Cache-Control: no-store`. Expects `authenticate` to have run for `/api`.
 */
export function authRoutes(deps: { auth: AuthService; secureCookies: boolean; auditor: Auditor }): Router {
  const router = Router();
  router.use('/api/auth', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.post(LOGIN_PATH, async (req, res) => {
    const body = parseOrThrow(loginSchema, req.body);
    let result;
    try {
      result = await deps.auth.login({ ...body, ip: req.ip ?? 'unknown' });
    } catch (err) {
      if (isAppError(err) && err.code === 'RATE_LIMITED') {
        const retryAfterMs = (err.details as { retryAfterMs: number }).retryAfterMs;
        const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
        res.set('Retry-After', String(retryAfterSeconds));
        throw new AppError('RATE_LIMITED', undefined, { retryAfterSeconds });
      }
      throw err;
    }
    // A browser that was logged in as someone else drops that session: one cookie, one session.
    const previous = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (previous) await deps.auth.logout(previous);
    setSessionCookie(res, result.session.id, deps.secureCookies, deps.auth.sessionTtlMs);
    await deps.auditor.recordFor({ username: result.user.username, role: result.user.role }, 'login');
    res.json({
      user: publicUser(result.user),
      csrfToken: result.session.csrfToken,
      expiresAt: result.session.expiresAt,
    });
  });

  router.post('/api/auth/logout', async (_req, res) => {
    const auth = authOf(res);
    if (auth?.via === 'session') {
      await deps.auth.logout(auth.session.id);
      await deps.auditor.record(res, 'logout');
    }
    clearSessionCookie(res, deps.secureCookies);
    res.status(204).end();
  });

  router.get('/api/auth/me', (_req, res) => {
    const auth = authOf(res);
    if (!auth) throw new AppError('UNAUTHORIZED');
    if (auth.via === 'bad-token') throw new AppError('FORBIDDEN', 'The bearer token is not valid');
    if (auth.via === 'token') return void res.json({ user: auth.principal, via: 'token' });
    res.json({
      user: auth.principal,
      via: 'session',
      csrfToken: auth.session.csrfToken,
      expiresAt: auth.session.expiresAt,
    });
  });
  return router;
}
