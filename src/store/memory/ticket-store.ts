import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock';
import type { Turn } from '../../domain/conversation';
import { AppError } from '../../domain/errors';
import type { NewTicket, Ticket } from '../../domain/ticket';
import type { TicketStore } from '../types';
import { formatTicketNumber } from './ticket-number';

interface StoredTicket {
  ticket: Ticket;
  /** Creation sequence (the numeric part of `number`): the last queue tie-breaker. */
  seq: number;
}

/**
 * Tickets in a `Map`. JavaScript runs each method to its first `await` without interruption and
 * these methods never await, so every create is atomic (number, ticket and queue in one step).
 * The queue is derived: tickets with status `new`, sorted on read.
 */
export class MemoryTicketStore implements TicketStore {
  private readonly byId = new Map<string, StoredTicket>();
  /** One counter per number prefix, like the Redis `seq:<prefix>` keys. */
  private readonly counters = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async create(ticket: NewTicket, numberPrefix: string): Promise<Ticket> {
    const seq = (this.counters.get(numberPrefix) ?? 0) + 1;
    this.counters.set(numberPrefix, seq);
    const created: Ticket = {
      ...structuredClone(ticket),
      id: randomUUID(),
      number: formatTicketNumber(numberPrefix, seq),
      status: 'new',
      updatedAt: this.clock.now(),
    };
    this.byId.set(created.id, { ticket: created, seq });
    return structuredClone(created);
  }

  async get(id: string): Promise<Ticket | null> {
    const stored = this.byId.get(id);
    return stored ? structuredClone(stored.ticket) : null;
  }

  async appendMessage(id: string, turn: Turn): Promise<void> {
    const stored = this.byId.get(id);
    if (!stored) throw new AppError('NOT_FOUND', 'No such ticket');
    stored.ticket.messages.push(structuredClone(turn));
    stored.ticket.updatedAt = this.clock.now();
  }

  async listQueue(options: { team?: string; limit?: number } = {}): Promise<Ticket[]> {
    const waiting = [...this.byId.values()].filter(
      (s) => s.ticket.status === 'new' && (options.team === undefined || s.ticket.team === options.team),
    );
    waiting.sort(compareQueueOrder);
    const limited = options.limit === undefined ? waiting : waiting.slice(0, Math.max(0, options.limit));
    return limited.map((s) => structuredClone(s.ticket));
  }
}

/** Queue order: priority (0 first), then SLA deadline, then arrival, then creation sequence. */
function compareQueueOrder(a: StoredTicket, b: StoredTicket): number {
  return (
    a.ticket.priority - b.ticket.priority ||
    a.ticket.slaDeadline - b.ticket.slaDeadline ||
    a.ticket.createdAt - b.ticket.createdAt ||
    a.seq - b.seq
  );
}
