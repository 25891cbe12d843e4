import type { Clock } from '../domain/clock';
import { AppError } from '../domain/errors';
import type { RateLimiter, SessionStore, UserStore } from '../store/types';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import type { Role } from './roles';
import type { Session } from './session';
import { normalizeUsername, parseUser, type User } from './user';

/** Shortest and longest accepted password (the upper bound keeps hashing cost predictable). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * Login attempt limits: at most `perUsername` attempts on one username and `perIp` from one
 * address per `windowMs` (fixed windows). A successful login gives its attempt back, so only
 * failures use the budget.
 */
export interface LoginLimits {
  perUsername: number;
  perIp: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: Readonly<LoginLimits> = { perUsername: 5, perIp: 20, windowMs: 15 * 60_000 };

/** A session is slid forward at most this often, so a busy console does not write on every request. */
export const DEFAULT_REFRESH_AFTER_MS = 60_000;

export interface AuthServiceOptions {
  users: UserStore;
  sessions: SessionStore;
  rateLimiter: RateLimiter;
  clock: Clock;
  /** Idle lifetime of a session; every use (at most once per `refreshAfterMs`) slides it forward. */
  sessionTtlMs: number;
  loginLimits?: LoginLimits;
  refreshAfterMs?: number;
}

/** What is needed to add a user; the password is hashed here and never stored. */
export interface NewUserInput {
  username: string;
  displayName?: string;
  role: Role;
  teams?: string[];
  password: string;
}

/** A logged-in request: the user as stored now (role changes apply at once) and the session. */
export interface Authenticated {
  user: User;
  session: Session;
  /** True when this call slid the expiry forward (the cookie should be sent again). */
  refreshed: boolean;
}

/**
 * Console authentication over the store interfaces: users, password checks, sessions and login
 * rate limiting. No HTTP here; `src/http/routes/auth.ts` and `middleware/session.ts` adapt it.
 *
 * ```ts
 * const auth = new AuthService({ ...stores, clock, sessionTtlMs: 12 * 3_600_000 });
 * await auth.createUser({ username: 'agent1', role: 'agent', teams: ['billing'], password });
 * const { session } = await auth.login({ username: 'agent1', password, ip: '10.0.0.7' });
 * ```
 */
export class AuthService {
  readonly sessionTtlMs: number;
  private readonly limits: LoginLimits;
  private readonly refreshAfterMs: number;

  constructor(private readonly options: AuthServiceOptions) {
    this.sessionTtlMs = options.sessionTtlMs;
    this.limits = options.loginLimits ?? DEFAULT_LOGIN_LIMITS;
    this.refreshAfterMs = options.refreshAfterMs ?? DEFAULT_REFRESH_AFTER_MS;
  }

  /** Validates, hashes the password and stores the user. `USER_EXISTS` when the name is taken. */
  async createUser(input: NewUserInput): Promise<User> {
    checkPassword(input.password);
    const now = this.options.clock.now();
    const username = normalizeUsername(input.username);
    // Validate everything but the hash first, so a bad username fails before 0.1 s of scrypt.
    const draft = {
      username,
      displayName: input.displayName ?? username,
      role: input.role,
      teams: input.teams ?? [],
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    parseUser({ ...draft, passwordHash: await dummyPasswordHash() });
    return this.options.users.create({ ...draft, passwordHash: await hashPassword(input.password) });
  }

  /**
   * Checks a username and password and opens a session.
   *
   * - Unknown user, wrong password and disabled account all fail the same way
   *   (`INVALID_CREDENTIALS`), after the same scrypt work, so neither the answer nor its timing
   *   tells which usernames exist.
   * - Every attempt counts against the username and the client IP before the password is
   *   checked (so concurrent guesses cannot slip past the limit); over the limit the answer is
   *   `RATE_LIMITED` with `details.retryAfterMs`, whatever the password. A success gives its
   *   attempts back (the username's window is cleared, the IP's count drops by one).
   */
  async login(input: { username: string; password: string; ip: string }): Promise<{ user: User; session: Session }> {
    const username = normalizeUsername(input.username).slice(0, 64);
    const userKey = `login:user:${username}`;
    const ipKey = `login:ip:${input.ip}`;
    const { rateLimiter } = this.options;
    const [byIp, byUser] = await Promise.all([
      rateLimiter.hit(ipKey, this.limits.perIp, this.limits.windowMs),
      rateLimiter.hit(userKey, this.limits.perUsername, this.limits.windowMs),
    ]);
    if (!byIp.allowed || !byUser.allowed) {
      const retryAfterMs = Math.max(byIp.retryAfterMs, byUser.retryAfterMs);
      throw new AppError('RATE_LIMITED', undefined, { retryAfterMs });
    }
    const user = await this.options.users.get(username);
    const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || user.disabled || !passwordOk) throw new AppError('INVALID_CREDENTIALS');
    await Promise.all([rateLimiter.reset(userKey), rateLimiter.refund(ipKey)]);
    const session = await this.options.sessions.create(user.username, this.sessionTtlMs);
    return { user, session };
  }

  /**
   * The user behind a session id, or null when the session is unknown, expired, or its user is
   * gone or disabled (that session is then deleted). Slides the expiry forward when the last
   * refresh is older than `refreshAfterMs`.
   */
  async authenticate(sessionId: string): Promise<Authenticated | null> {
    const { sessions, users, clock } = this.options;
    let session = await sessions.get(sessionId);
    if (!session) return null;
    const user = await users.get(session.username);
    if (!user || user.disabled) {
      await sessions.delete(sessionId);
      return null;
    }
    let refreshed = false;
    if (session.expiresAt - clock.now() <= this.sessionTtlMs - this.refreshAfterMs) {
      const touched = await sessions.touch(sessionId, this.sessionTtlMs);
      if (!touched) return null;
      session = touched;
      refreshed = true;
    }
    return { user, session, refreshed };
  }

  async logout(sessionId: string): Promise<void> {
    await this.options.sessions.delete(sessionId);
  }

  /** Sets a new password and ends every session of the user (stolen sessions die with the old one). */
  async setPassword(username: string, password: string): Promise<User> {
    checkPassword(password);
    const user = await this.options.users.update(username, { passwordHash: await hashPassword(password) });
    await this.options.sessions.deleteAllOf(user.username);
    return user;
  }

  /** Disables (ending every session) or re-enables an account. */
  async setDisabled(username: string, disabled: boolean): Promise<User> {
    const user = await this.options.users.update(username, { disabled });
    if (disabled) await this.options.sessions.deleteAllOf(user.username);
    return user;
  }
}

function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    const message = `password: ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters`;
    throw new AppError('VALIDATION_FAILED', message, [{ field: 'password', message }]);
  }
}
