import { timingSafeEqual } from 'node:crypto';
import type { CookieOptions, RequestHandler, Response } from 'express';
import { can, rolesWith, type Permission } from '../../auth/roles';
import type { AuthService } from '../../auth/service';
import type { Session } from '../../auth/session';
import { publicUser, type PublicUser, type User } from '../../auth/user';
import { AppError } from '../../domain/errors';
import { parseCookies } from '../cookies';

/** The session cookie: HttpOnly, SameSite=Strict, sent only to `/api` (Secure when PUBLIC_URL is https). */
export const SESSION_COOKIE = 'mj_session';
export const SESSION_COOKIE_PATH = '/api';
/** Header carrying the session's CSRF token on state-changing requests. */
export const CSRF_HEADER = 'x-csrf-token';

/** Who a request acts as when it carries `Authorization: Bearer $ADMIN_API_TOKEN`. */
export const ADMIN_TOKEN_PRINCIPAL: Readonly<PublicUser> = Object.freeze({
  username: 'api-token',
  displayName: 'Admin API token',
  role: 'admin',
  teams: [],
});

/**
 * How a request authenticated, kept in `res.locals.auth` by `authenticate`:
 * - `session`: a console user's cookie (the user as stored now, and the session);
 * - `token`: the admin API token (acts as role `admin`; no cookie, so no CSRF check);
 * - `bad-token`: a bearer token that is not the admin token (refused with 403 where auth is needed).
 * No `res.locals.auth` at all means anonymous.
 */
export type AuthContext =
  | { via: 'session'; principal: PublicUser; user: User; session: Session }
  | { via: 'token'; principal: PublicUser }
  | { via: 'bad-token' };

/** The request's authentication, if any (set by `authenticate`). */
export function authOf(res: Response): AuthContext | undefined {
  return (res.locals as { auth?: AuthContext }).auth;
}

export interface AuthenticateOptions {
  auth: AuthService;
  adminToken?: string;
  /** Add `Secure` to the cookie (the app is reached over https). */
  secureCookies: boolean;
  /** Full paths of state-changing routes that need no CSRF token (login: it is not cookie-authenticated). */
  csrfExempt?: readonly string[];
}

/** The cookie attributes for a live session (`maxAge` in ms, as express expects). */
export function sessionCookieOptions(secure: boolean, maxAgeMs?: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: SESSION_COOKIE_PATH,
    ...(maxAgeMs ? { maxAge: maxAgeMs } : {}),
  };
}

/** Sets the session cookie for a session that was just created or slid forward (so it lives `ttlMs`). */
export function setSessionCookie(res: Response, sessionId: string, secure: boolean, ttlMs: number): void {
  res.cookie(SESSION_COOKIE, sessionId, sessionCookieOptions(secure, ttlMs));
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, sessionCookieOptions(secure));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Works out who is calling, for every `/api` request, without refusing anyone by itself
 * (`requireRole` does that per route):
 *
 * 1. `Authorization: Bearer …` decides alone: the admin token → role `admin`; anything else →
 *    `bad-token`. Cookies are ignored then.
 * 2. Otherwise the `mj_session` cookie: a live session loads its user (a cookie for an expired
 *    session is cleared). An in-use session slides forward and its cookie is re-sent.
 * 3. CSRF: a state-changing request (not GET/HEAD/OPTIONS) authenticated by the cookie must carry
 *    the session's token in `X-CSRF-Token`, else 403 `CSRF_FAILED`. A page on another site can make
 *    the browser send the cookie (where SameSite does not stop it) but cannot read the token, which
 *    is bound to this one session. Bearer requests need no token: no ambient credential is involved.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  const exempt = new Set(options.csrfExempt ?? []);
  return async (req, res, next) => {
    try {
      const header = req.get('authorization');
      const bearer = header === undefined ? undefined : /^Bearer (.+)$/.exec(header)?.[1];
      if (bearer !== undefined) {
        const ok = options.adminToken !== undefined && safeEqual(bearer, options.adminToken);
        res.locals.auth = (
          ok ? { via: 'token', principal: ADMIN_TOKEN_PRINCIPAL } : { via: 'bad-token' }
        ) satisfies AuthContext;
        return next();
      }
      const sessionId = parseCookies(req.headers.cookie)[SESSION_COOKIE];
      if (!sessionId) return next();
      const found = await options.auth.authenticate(sessionId);
      if (!found) {
        clearSessionCookie(res, options.secureCookies);
        return next();
      }
      const { user, session } = found;
      res.locals.auth = { via: 'session', principal: publicUser(user), user, session } satisfies AuthContext;
      if (found.refreshed) setSessionCookie(res, session.id, options.secureCookies, options.auth.sessionTtlMs);
      if (!SAFE_METHODS.has(req.method) && !exempt.has(req.baseUrl + req.path)) {
        const given = req.get(CSRF_HEADER);
        if (!given || !safeEqual(given, session.csrfToken)) return next(new AppError('CSRF_FAILED'));
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * Lets the request through only if its caller holds `permission`: 401 `UNAUTHORIZED` without a
 * (live) session or token, 403 `FORBIDDEN` for a wrong bearer token or a role without the permission.
 *
 * ```ts
 * router.post('/api/tickets/:id/claim', requireRole('tickets:work'), handler);
 * ```
 */
export function requireRole(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    const auth = authOf(res);
    if (!auth) return next(new AppError('UNAUTHORIZED'));
    if (auth.via === 'bad-token') return next(new AppError('FORBIDDEN', 'The bearer token is not valid'));
    if (!can(auth.principal.role, permission)) {
      return next(
        new AppError('FORBIDDEN', `This needs the ${permission} permission`, {
          permission,
          roles: rolesWith(permission),
        }),
      );
    }
    next();
  };
}

function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
