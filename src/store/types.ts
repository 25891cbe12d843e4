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

export interface Stores {
  kind: 'memory' | 'redis';
  conversations: ConversationStore;
  tickets: TicketStore;
  dedup: DedupStore;
  lock: OrderedLock;
  /** Resolves when the backing store answers; rejects with `STORE_UNAVAILABLE` otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
