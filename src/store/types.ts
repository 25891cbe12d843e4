import type { Session } from '../auth/session';
import type { User, UserPatch } from '../auth/user';
import type { Conversation, Turn } from '../domain/conversation';
import type { NewTicket, Ticket } from '../domain/ticket';

/**
 * The storage contract. Two implementations pass the same suite (`test/contract/`):
 * `memory/` (the embedded default, one process) and `redis/` (production, many instances).
 * The engine depends only on these interfaces.
 */

export interface ConversationStore {
  get(id: string): Promise<Conversation | null>;
  /**
   * Compare-and-set save: succeeds only if the stored version equals `conv.version`
   * (0 for a conversation not stored yet). Returns the saved copy with `version + 1`.
   * Throws `AppError('STORE_CONFLICT')` when someone else saved in between.
   */
  save(conv: Conversation): Promise<Conversation>;
}

export interface TicketStore {
  /**
   * Atomically assigns an id and a sequential number (`<prefix>-000001`), stores the ticket with
   * status `new`, and adds it to the queue. One step: a crash never leaves a ticket out of the queue.
   */
  create(ticket: NewTicket, numberPrefix: string): Promise<Ticket>;
  get(id: string): Promise<Ticket | null>;
  /** Appends a turn (e.g. a customer message while queued) to the ticket's messages. */
  appendMessage(id: string, turn: Turn): Promise<void>;
  /**
   * Tickets waiting in the queue (status `new`), in queue order: priority (0 first), then
   * SLA deadline, then arrival. Optionally only one team's.
   */
  listQueue(options?: { team?: string; limit?: number }): Promise<Ticket[]>;
}

export interface DedupStore {
  /**
   * Records `key` for `ttlMs`. Returns true the first time a key is seen, false for a repeat
   * within the TTL. Atomic across instances.
   */
  firstSeen(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * Per-key FIFO mutual exclusion: `run(key, fn)` calls for one key execute one at a time, in the
 * order `run` was called, across all instances sharing the store. A holder that dies loses the
 * key after `leaseMs`, so one crash never blocks a conversation forever.
 */
export interface OrderedLock {
  run<T>(key: string, fn: () => Promise<T>, options?: { leaseMs?: number; waitMs?: number }): Promise<T>;
}

/** Console users, keyed by (lower-case) username. */
export interface UserStore {
  /** Stores a new user (validated). Throws `USER_EXISTS` when the username is taken. */
  create(user: User): Promise<User>;
  get(username: string): Promise<User | null>;
  /** Every user, by username. */
  list(): Promise<User[]>;
  /**
   * Applies `patch` atomically (concurrent updates never lose one another's fields), stamps
   * `updatedAt`, validates the result. Throws `NOT_FOUND` for an unknown user, `VALIDATION_FAILED`
   * when the result would be invalid (e.g. an agent without a team).
   */
  update(username: string, patch: UserPatch): Promise<User>;
}

/** Login sessions with a sliding expiry. */
export interface SessionStore {
  /** A new session with a random 256-bit id and CSRF token, expiring `ttlMs` from now. */
  create(username: string, ttlMs: number): Promise<Session>;
  /** The session, or null when unknown or expired. */
  get(id: string): Promise<Session | null>;
  /** Moves the expiry to `ttlMs` from now; null (and nothing changes) when unknown or expired. */
  touch(id: string, ttlMs: number): Promise<Session | null>;
  delete(id: string): Promise<void>;
  /** Ends every session of `username` (password change, disabled account). Returns how many. */
  deleteAllOf(username: string): Promise<number>;
}

/** The outcome of one `RateLimiter.hit`. */
export interface RateLimitResult {
  /** True while the window's count is at most the limit. */
  allowed: boolean;
  /** Hits in the current window, this one included. */
  count: number;
  /** When refused: ms until the window ends and attempts are allowed again; 0 when allowed. */
  retryAfterMs: number;
}

/**
 * Fixed-window counters (login attempts per username and per IP). Atomic across instances: of
 * many concurrent hits on one key exactly `limit` are allowed per window.
 */
export interface RateLimiter {
  /** Counts one attempt for `key` in its current window (which starts with the first hit). */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** Takes one attempt back (e.g. it turned out to be a successful login); never below zero. */
  refund(key: string): Promise<void>;
  /** Forgets the key's window altogether. */
  reset(key: string): Promise<void>;
}

export interface Stores {
  kind: 'memory' | 'redis';
  conversations: ConversationStore;
  tickets: TicketStore;
  dedup: DedupStore;
  lock: OrderedLock;
  users: UserStore;
  sessions: SessionStore;
  rateLimiter: RateLimiter;
  /** Resolves when the backing store answers; rejects with `STORE_UNAVAILABLE` otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
