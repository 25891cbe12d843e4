import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock';
import type { Turn } from '../../domain/conversation';
import { AppError } from '../../domain/errors';
import type { NewTicket, Ticket, TicketStatus } from '../../domain/ticket';
import type { TicketStore } from '../types';
import { execPipeline, guard } from './errors';
import { queueMemberPrefix, ticketIdFromMember, type RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/** The ticket hash fields `get` reads, in this order. */
const FIELDS = ['data', 'number', 'status', 'updatedAt'] as const;

/**
 * Tickets as a hash (the document without messages, plus `number`, `status`, `updatedAt`) and a
 * list of messages, so appending a customer message is one RPUSH instead of a read-modify-write.
 * Creation and appends are Lua scripts (see `scripts.ts`); reads use pipelines.
 */
export class RedisTicketStore implements TicketStore {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  async create(ticket: NewTicket, numberPrefix: string): Promise<Ticket> {
    const id = randomUUID();
    const updatedAt = this.clock.now();
    const { messages, ...rest } = ticket;
    const number = await guard(
      this.client.mjTicketCreate(
        this.keys.ticketSeq(numberPrefix),
        this.keys.ticket(id),
        this.keys.ticketMessages(id),
        this.keys.queue(),
        this.keys.teamQueue(ticket.team),
        numberPrefix,
        id,
        JSON.stringify({ ...rest, id }),
        updatedAt,
        ticket.priority,
        queueMemberPrefix(ticket.slaDeadline, ticket.createdAt),
        ...messages.map((turn) => JSON.stringify(turn)),
      ),
    );
    return { ...structuredClone(ticket), id, number, status: 'new', updatedAt };
  }

  async get(id: string): Promise<Ticket | null> {
    const [ticket] = await this.fetch([id]);
    return ticket ?? null;
  }

  async appendMessage(id: string, turn: Turn): Promise<void> {
    const count = await guard(
      this.client.mjTicketAppend(
        this.keys.ticket(id),
        this.keys.ticketMessages(id),
        JSON.stringify(turn),
        this.clock.now(),
      ),
    );
    if (count === 0) throw new AppError('NOT_FOUND', 'No such ticket');
  }

  async listQueue(options: { team?: string; limit?: number } = {}): Promise<Ticket[]> {
    if (options.limit !== undefined && options.limit <= 0) return [];
    const key = options.team === undefined ? this.keys.queue() : this.keys.teamQueue(options.team);
    const stop = options.limit === undefined ? -1 : Math.floor(options.limit) - 1;
    const members = await guard(this.client.zrange(key, '0', String(stop)));
    const tickets = await this.fetch(members.map(ticketIdFromMember));
    // The queue only ever holds `new` tickets today; the filter keeps this true if a status change
    // ever lands without its queue removal.
    return tickets.filter((t): t is Ticket => t !== undefined && t.status === 'new');
  }

  /** Reads tickets by id in one round trip; a missing ticket gives `undefined` at its position. */
  private async fetch(ids: string[]): Promise<(Ticket | undefined)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const id of ids) {
      pipeline.hmget(this.keys.ticket(id), ...FIELDS);
      pipeline.lrange(this.keys.ticketMessages(id), 0, -1);
    }
    const replies = await execPipeline(pipeline);
    return ids.map((_, i) => {
      const [data, number, status, updatedAt] = replies[2 * i] as (string | null)[];
      const messages = replies[2 * i + 1] as string[];
      if (!data || !number || !status) return undefined;
      return {
        ...(JSON.parse(data) as Omit<Ticket, 'number' | 'status' | 'updatedAt' | 'messages'>),
        number,
        status: status as TicketStatus,
        updatedAt: Number(updatedAt),
        messages: messages.map((m) => JSON.parse(m) as Turn),
      };
    });
  }
}
