import type { Session } from '../auth/session';
import type { AuditEntry, NewAuditEntry } from '../domain/audit';
import type { LiveEvent } from '../domain/live-event';
import type { User, UserPatch } from '../auth/user';
import type { Conversation, Turn } from '../domain/conversation';
import type { Choice } from '../domain/message';
import type { NewTicket, Ticket, TicketActor, TicketNote, TicketStatus } from '../domain/ticket';

/**
 * The storage contract. Two implementations pass the same suite (`test/contract/`):
 * `memory/` (the embedded default, one process) and `redis/` (production, many instances).
 * The engine depends only on these interfaces.
 */

export interface ConversationStore {
  get(id: string): Promise<Conversation | null>;
  /**
   * Compare-and-set save: succeeds only if the stored version equals `conv.version`
   * (0 for a conversation not stored yet). Returns `conv` as saved, with `version + 1` (a shallow
   * copy sharing nested values with `conv`; the store keeps its own copy, untouched by either).
   * Throws `AppError('STORE_CONFLICT')` when someone else saved in between.
   */
  save(conv: Conversation): Promise<Conversation>;
  /**
   * `lock.run(id, …)` of the same `Stores` with the conversation's read and save folded into the
   * lock's own steps: `fn` gets the document as stored when the lock was taken, and
   * `edit.saveAndRelease` saves and lets the lock go in one step. It is the same lock as
   * `lock.run(id)` (one at a time, in call order, across instances, with every other caller of
   * either; `LOCK_TIMEOUT` after `waitMs`; a crashed holder loses it after `leaseMs`). If `fn`
   * throws or returns without saving, the lock is released as by `lock.run`.
   *
   * On Redis this is 2 commands instead of 4 (acquire + read, save + release), which is why the
   * engine's per-message path uses it.
   *
   * ```ts
   * await stores.conversations.withLock('telegram:42', async ({ stored, saveAndRelease }) => {
   *   const conv = stored ?? newConversation('telegram', '42', 'id', now);
   *   conv.state = 'queued';
   *   return saveAndRelease(conv); // the next message of telegram:42 may start from here on
   * });
   * ```
   */
  withLock<T>(id: string, fn: (edit: ConversationEdit) => Promise<T>, options?: LockOptions): Promise<T>;
}

/** What `ConversationStore.withLock` hands its callback. */
export interface ConversationEdit {
  /** The conversation as stored when the lock was taken (null: none yet); the caller's own copy. */
  readonly stored: Conversation | null;
  /**
   * `save` (compare-and-set, same result, `STORE_CONFLICT` when someone saved in between) and the
   * lock's release in one step, whether the save won or not: once it settles, the next caller in
   * line may run, so touch no stored state afterwards. At most once per `withLock` (a second call
   * is an `INTERNAL` error). A store failure (`STORE_UNAVAILABLE`) leaves the release to
   * `withLock`, as after any exception.
   */
  saveAndRelease(conv: Conversation): Promise<Conversation>;
}

/** `claim` outcome: the winner gets the ticket; everyone else learns who owns it (or that nobody can). */
export type ClaimResult =
  | { ok: true; ticket: Ticket }
  | { ok: false; status: TicketStatus; /** The agent who owns it, if anyone. */ owner: string | null };

/** `autoAssign` outcome. */
export type AutoAssignResult =
  { ok: true; ticket: Ticket; agent: string } | { ok: false; reason: 'not_waiting' | 'no_capacity' };

export interface QueueQuery {
  /** One status or several; default `WAITING_STATUSES` (`new`, `escalated`): the tickets waiting for an owner. */
  status?: TicketStatus | readonly TicketStatus[];
  team?: string;
  limit?: number;
}

/** What a step changes besides the status (see `planTransition`). */
export interface TransitionChange {
  note?: string;
  /** Move the ticket to this team's queue / ownership. */
  team?: string;
  /** Give the ticket to this agent. */
  assignTo?: string;
  /** Refuse with `AGENT_AT_CAPACITY` when the new owner already has this many open tickets. */
  capacity?: number;
}

/** One agent's load, for auto-assignment and the supervisor view. */
export interface AgentLoad {
  /** Open tickets (`in_progress` + `waiting_customer`). */
  open: number;
  /** When the agent last got a ticket (epoch ms); absent when never. */
  lastAssignedAt?: number;
}

export interface TicketStore {
  /**
   * Atomically assigns an id and a sequential number (`<prefix>-000001`), stores the ticket with
   * status `new`, and adds it to the queue and the SLA due index. One step: a crash never leaves a
   * ticket out of the queue.
   */
  create(ticket: NewTicket, numberPrefix: string): Promise<Ticket>;
  get(id: string): Promise<Ticket | null>;
  /**
   * Appends a turn (a customer message while queued, an agent reply) to the ticket's messages.
   * An agent's first turn records `firstResponseAt` (the first-response SLA is met) in the same
   * step. `requireOwner`: only if that agent owns the open ticket, else `TICKET_NOT_OWNER` and
   * nothing is written. `NOT_FOUND` for an unknown ticket.
   */
  appendMessage(id: string, turn: Turn, options?: { requireOwner?: string }): Promise<void>;
  /**
   * Tickets in queue order: priority (0 first), then SLA deadline, then arrival. By default the
   * waiting ones (`new` and `escalated`); optionally other statuses, one team's, and a limit.
   */
  listQueue(options?: QueueQuery): Promise<Ticket[]>;
  /**
   * Atomic claim by an agent: exactly one of any number of concurrent claims (from any instance)
   * wins and owns the ticket (`in_progress`); the others get the owner. Claiming a ticket one
   * already owns succeeds again. `NOT_FOUND` for an unknown ticket. Manual claims ignore capacity.
   */
  claim(id: string, agent: string): Promise<ClaimResult>;
  /**
   * One step of the status machine (`TRANSITIONS`), validated and applied atomically with its
   * history entry: `TICKET_TRANSITION_INVALID` for a step the machine or the actor's role does not
   * allow, `TICKET_NOT_OWNER` for an agent acting on someone else's ticket, `AGENT_AT_CAPACITY`,
   * `NOT_FOUND`. Returns the ticket afterwards.
   */
  transition(id: string, to: TicketStatus, actor: TicketActor, change?: TransitionChange): Promise<Ticket>;
  /**
   * Gives a waiting ticket to the least-loaded of `candidates` (agent ids: the caller passes the
   * online agents of the ticket's team) with fewer than `capacity` open tickets; ties as
   * `pickAgent`. Loads are counted atomically with the assignment, so concurrent arrivals on any
   * number of instances never push an agent past `capacity`. `NOT_FOUND` for an unknown ticket.
   */
  autoAssign(id: string, candidates: readonly string[], capacity: number): Promise<AutoAssignResult>;
  /**
   * Returns every open ticket of `agent` to its team's queue (`new`, no owner), with history.
   * `offlineSince`: only if the agent's heartbeat expired at or before that time (checked in the
   * same step; an agent who came back keeps everything), and the agent's presence is then
   * forgotten, so concurrent sweeps requeue once. Returns the requeued tickets.
   */
  release(agent: string, actor: TicketActor, options?: { offlineSince?: number }): Promise<Ticket[]>;
  /** Adds an internal note (never sent to the customer). `NOT_FOUND` for an unknown ticket. */
  addNote(id: string, note: TicketNote): Promise<void>;
  /**
   * Starts a new first-response clock (a reopened ticket): `slaDeadline` becomes `deadline`, the
   * first-response, at-risk and breach marks are cleared, the ticket is watched again (`dueBefore`)
   * and queued by its new deadline. `NOT_FOUND` for an unknown ticket.
   */
  restartSla(id: string, deadline: number): Promise<Ticket>;
  /**
   * Marks the first response "at risk", once across instances: no first response yet, not
   * breached, not resolved, not marked before. The caller decides when (`slaAtRiskFrom`).
   * Returns true for the one call that marked it.
   */
  markSlaAtRisk(id: string, now: number): Promise<boolean>;
  /**
   * Marks the first-response SLA breached: true exactly once per ticket, across instances, and
   * only when `now` is past the deadline with no agent reply and the ticket not resolved.
   */
  markSlaBreached(id: string, now: number): Promise<boolean>;
  /**
   * Tickets whose first response is still pending (no agent reply, not resolved, not yet marked
   * breached) with an SLA deadline at or before `ts`, earliest deadline first.
   */
  dueBefore(ts: number, limit?: number): Promise<Ticket[]>;
  /** Open tickets and last assignment per agent (agents without any get `{ open: 0 }`). */
  agentLoads(agents: readonly string[]): Promise<Record<string, AgentLoad>>;
  /**
   * Records the customer's satisfaction rating (an integer 1–5) and when it was given; a later
   * rating replaces it. `NOT_FOUND` for an unknown ticket, `VALIDATION_FAILED` for another score.
   * It does not change the status or the history (a rating is not a step of the life cycle).
   */
  recordCsat(id: string, score: number, at: number): Promise<void>;
}

/** A message waiting in a customer's outbox, as a channel that polls reads it. */
export interface OutboxMessage {
  /** Where this message sits in the recipient's outbox; pass it as `after` to read what follows. */
  cursor: string;
  text: string;
  /** One-tap answers (the CSAT question's 1–5), when the message offers any. */
  buttons?: Choice[];
  /** Who speaks: the bot, or an agent by the name the customer sees. */
  from: { kind: 'bot' } | { kind: 'agent'; name: string };
  /** When it was sent (epoch ms). */
  at: number;
}

/** What `OutboxStore.append` takes: everything but the cursor, which the store assigns. */
export type NewOutboxMessage = Omit<OutboxMessage, 'cursor'>;

/**
 * Messages sent to a customer *later* (an agent's reply, the CSAT question) on channels that
 * cannot push (the REST channel and the web chat poll `GET /channels/rest/messages`). One outbox
 * per `(channel, recipient)`:
 * - cursors are opaque strings that only grow (also across instances and after the outbox
 *   expired and started again), so `read(after = the last cursor seen)` never misses or repeats;
 * - each outbox keeps its newest `maxLength` messages (older ones are dropped) and expires
 *   `ttlMs` after the last append (the limits are the store's options; see `OUTBOX_DEFAULTS`).
 */
export interface OutboxStore {
  /** Appends one message and returns its cursor (atomic: trimming and expiry happen in the same step). */
  append(channel: string, recipient: string, message: NewOutboxMessage): Promise<string>;
  /**
   * The messages after `after` (all kept ones when omitted), oldest first, at most `limit`
   * (default `OUTBOX_DEFAULTS.pageSize`). `cursor` is the last returned message's, or `after`
   * (`'0-0'` when omitted) when there is nothing new: pass it back as the next `after`.
   * `VALIDATION_FAILED` for an `after` that is not a cursor.
   */
  read(
    channel: string,
    recipient: string,
    after?: string,
    limit?: number,
  ): Promise<{ messages: OutboxMessage[]; cursor: string }>;
}

/** An agent as presence knows it. */
export interface AgentPresence {
  id: string;
  teams: string[];
  /** Online until this time (epoch ms) unless another heartbeat comes. */
  expiresAt: number;
}

/**
 * Agent presence by heartbeat: the console calls `heartbeat` every few seconds; an agent whose
 * heartbeat expired is offline. Shared by all instances (Redis) so any of them can sweep.
 */
export interface PresenceStore {
  /** The agent is online in `teams` until `now + ttlMs`. */
  heartbeat(agent: { id: string; teams: readonly string[] }, now: number, ttlMs: number): Promise<void>;
  /** Agents online at `now` (expiry after `now`), optionally of one team, by id. */
  onlineAgents(options: { now: number; team?: string }): Promise<AgentPresence[]>;
  /** Agents whose heartbeat expired at or before `before` and who were not released yet, by expiry. */
  expiredAgents(before: number): Promise<AgentPresence[]>;
}

export interface DedupStore {
  /**
   * Records `key` for `ttlMs`. Returns true the first time a key is seen, false for a repeat
   * within the TTL. Atomic across instances.
   */
  firstSeen(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Forgets `key`, so the next `firstSeen` is true again: for work that failed after its key was
   * recorded and must be retried (a webhook answered with 5xx is re-sent by the platform).
   */
  forget(key: string): Promise<void>;
}

/**
 * Per-key FIFO mutual exclusion: `run(key, fn)` calls for one key execute one at a time, in the
 * order `run` was called, across all instances sharing the store. A holder that dies loses the
 * key after `leaseMs`, so one crash never blocks a conversation forever.
 */
export interface OrderedLock {
  run<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>;
}

/** How long a lock holder's lease lasts without renewal, and how long a caller waits for its turn. */
export interface LockOptions {
  /** A holder that stops renewing (crashed) loses the key after this long; default 30 s. */
  leaseMs?: number;
  /** `LOCK_TIMEOUT` after waiting this long for the turn; default 10 s. */
  waitMs?: number;
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

/** Light CRM: one free-text note about a customer (by channel and sender), kept across tickets. */
export interface CustomerNote {
  channel: string;
  senderId: string;
  text: string;
  updatedAt: number;
  /** Username of whoever wrote the current text. */
  updatedBy: string;
}

/** Customer notes. A `put` replaces the whole note (last write wins; each write is one command). */
export interface CustomerNoteStore {
  get(channel: string, senderId: string): Promise<CustomerNote | null>;
  put(note: CustomerNote): Promise<CustomerNote>;
}

/** A forum topic in a Telegram supergroup: the chat and the topic's `message_thread_id`. */
export interface DeskTopic {
  chatId: number;
  threadId: number;
}

/**
 * The Telegram agents' desk: which forum topic belongs to which ticket, both ways (posting news of
 * a ticket into its topic; reading an agent's message in a topic as work on its ticket). Links are
 * kept as long as tickets are (no expiry): a reopened ticket gets its old topic back.
 */
export interface DeskTopicStore {
  /**
   * Links the ticket and the topic, both directions in one atomic step. Only the first link of a
   * ticket (or of a topic) counts: returns false, changing nothing, when either already has one.
   */
  link(ticketId: string, topic: DeskTopic): Promise<boolean>;
  /** The ticket's topic, or null. */
  topicOf(ticketId: string): Promise<DeskTopic | null>;
  /** The topic's ticket id, or null. */
  ticketOf(topic: DeskTopic): Promise<string | null>;
}

/** At most this many audit entries are kept; older ones are dropped first. */
export const AUDIT_MAX_ENTRIES = 100_000;

export interface AuditQuery {
  /** Newest first, at most this many (default 100, at most 500). */
  limit?: number;
  /** Only entries older than this entry id (paging: pass the last id of the previous page). */
  before?: string;
  ticketId?: string;
  actor?: string;
}

/**
 * The append-only audit log of agent and admin actions. There is no update or delete: entries
 * leave only by age, when more than `AUDIT_MAX_ENTRIES` are kept.
 */
export interface AuditLog {
  /** Stores the entry with a new id (greater than every earlier one) and returns it. */
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Entries newest first, filtered. */
  list(query?: AuditQuery): Promise<AuditEntry[]>;
}

/**
 * Fan-out of live events to every instance's console clients: in-process for the memory store,
 * Redis pub/sub otherwise. Delivery is at most once and only to subscribers connected at the time
 * (the console re-reads the queue when its stream reconnects). A publisher's own subscribers
 * receive its events too, by the same path as everyone else's.
 */
export interface EventBus {
  publish(event: LiveEvent): Promise<void>;
  /**
   * Calls `listener` for every event published from now on (on any instance). Resolves once the
   * subscription is live; the returned function unsubscribes.
   */
  subscribe(listener: (event: LiveEvent) => void): Promise<() => void>;
}

// --- Delivery receipts (WhatsApp Cloud API status events) ---

/** How far one of our outbound messages got, in order; `failed` ends it. */
export const DELIVERY_STATES = ['sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** The platform's word on one outbound message (by the id it gave the message). */
export interface DeliveryReceipt {
  messageId: string;
  conversationId: string;
  state: DeliveryState;
  /** When the platform reported `state` (ms). */
  at: number;
}

/**
 * Our outbound messages' delivery states, kept `ttlMs` (status events arrive within days, out of
 * order and sometimes twice): a state only moves forward (`sent` < `delivered` < `read`; `failed`
 * from any state is final), so a late `delivered` after `read` changes nothing.
 */
export interface DeliveryReceiptStore {
  /** The platform accepted our message `messageId` for this conversation: it is `sent`. */
  sent(messageId: string, conversationId: string, at: number, ttlMs: number): Promise<void>;
  /**
   * A status event for `messageId` (of `conversationId`: the event names the recipient): the
   * receipt afterwards, and whether this event moved it (false for a late or repeated event). An
   * event that overtook our own `sent` record is kept all the same.
   */
  update(
    messageId: string,
    conversationId: string,
    state: DeliveryState,
    at: number,
    ttlMs: number,
  ): Promise<{ receipt: DeliveryReceipt; advanced: boolean }>;
  /** The receipt of the conversation's latest recorded outbound message, or null. */
  latest(conversationId: string): Promise<DeliveryReceipt | null>;
}

// --- WhatsApp Web (Baileys): login state, socket ownership, human takeovers ---

/**
 * The WhatsApp Web login state of one session (one business number): Baileys' `creds` plus every
 * key category it writes through `keys.set` (`pre-key`, `session`, `sender-key`,
 * `app-state-sync-key`, `lid-mapping`, `device-list`, `tctoken`… and any a later Baileys adds:
 * categories are opaque strings). Values are stored as JSON with Baileys' `BufferJSON` encoding,
 * so Buffers and Uint8Arrays come back as Buffers.
 */
export interface WhatsAppAuthStore {
  /** The creds object, or null before the first login. */
  getCreds(session: string): Promise<unknown | null>;
  setCreds(session: string, creds: unknown): Promise<void>;
  /** The stored values of `ids` in `category`; ids without a value are absent from the result. */
  getKeys(session: string, category: string, ids: readonly string[]): Promise<Record<string, unknown>>;
  /** Writes every category and id of `data` in one atomic step; a `null` (or undefined) value deletes. */
  setKeys(session: string, data: Record<string, Record<string, unknown>>): Promise<void>;
  /** Forgets the session: creds and every category ever written (logged out, bad session). */
  clear(session: string): Promise<void>;
}

/**
 * A named lease one owner holds at a time, across instances (who owns the WhatsApp socket). It
 * expires `ttlMs` after the last acquire/renew, so a dead owner loses it by itself.
 */
export interface LeaseStore {
  /** True when `owner` holds the lease now (it was free or already `owner`'s; the TTL restarts). */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease only while `owner` still holds it; false when lost (expired or taken). */
  renew(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases only `owner`'s own lease; false when someone else holds it (or nobody). */
  release(name: string, owner: string): Promise<boolean>;
  /** The current holder, or null. */
  holder(name: string): Promise<string | null>;
}

/** What the console asks the socket owner to do (it may be served by another instance). */
export type WhatsAppWebRequest =
  /** Log in by pairing code instead of the QR: the owner asks WhatsApp for a code for this number. */
  | { kind: 'pairing_code'; phone: string }
  /** Unlink this device from the phone and forget the session. */
  | { kind: 'logout' }
  /** Connect again after a stop (a new QR when the session was wiped). */
  | { kind: 'connect' }
  /** An outbound message composed on an instance without the socket (agent reply, CSAT). */
  | { kind: 'send'; recipient: string; messages: unknown[] };

/**
 * The WhatsApp Web notice board between instances: the socket owner posts the connection status
 * (QR, pairing code, open, stopped…) with a short TTL, so every instance's console shows it and a
 * dead owner's status disappears by itself; other instances queue requests the owner takes.
 */
export interface WhatsAppWebBoard {
  /** Posts the owner's status (opaque JSON); gone `ttlMs` after the last post. */
  setStatus(session: string, status: unknown, ttlMs: number): Promise<void>;
  /** The posted status, or null when no owner posted one recently. */
  getStatus(session: string): Promise<unknown | null>;
  /** Queues a request for whichever instance owns the socket. */
  request(session: string, request: WhatsAppWebRequest): Promise<void>;
  /** Takes every queued request, oldest first; each is taken by one instance only. */
  takeRequests(session: string): Promise<WhatsAppWebRequest[]>;
}

/** A conversation the bot stays silent in because a human answered from the business phone. */
export interface HumanTakeover {
  conversationId: string;
  since: number;
}

/** Index of the conversations under human takeover, for the console's "hand back" list. */
export interface TakeoverIndex {
  add(takeover: HumanTakeover): Promise<void>;
  remove(conversationId: string): Promise<void>;
  /** Oldest first. */
  list(): Promise<HumanTakeover[]>;
}

export interface Stores {
  kind: 'memory' | 'redis';
  conversations: ConversationStore;
  tickets: TicketStore;
  presence: PresenceStore;
  outbox: OutboxStore;
  dedup: DedupStore;
  lock: OrderedLock;
  users: UserStore;
  sessions: SessionStore;
  rateLimiter: RateLimiter;
  customerNotes: CustomerNoteStore;
  deskTopics: DeskTopicStore;
  audit: AuditLog;
  events: EventBus;
  whatsappAuth: WhatsAppAuthStore;
  leases: LeaseStore;
  takeovers: TakeoverIndex;
  whatsappBoard: WhatsAppWebBoard;
  receipts: DeliveryReceiptStore;
  /** Resolves when the backing store answers; rejects with `STORE_UNAVAILABLE` otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
