import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock';
import type { Turn } from '../../domain/conversation';
import { AppError } from '../../domain/errors';
import {
  rulesFor,
  WAITING_STATUSES,
  type NewTicket,
  type Ticket,
  type TicketActor,
  type TicketNote,
  type TicketStatus,
  type TicketTransition,
} from '../../domain/ticket';
import type { AgentLoad, AutoAssignResult, ClaimResult, QueueQuery, TicketStore, TransitionChange } from '../types';
import { checkCsatScore } from '../csat-score';
import { execPipeline, guard } from './errors';
import { queueMemberPrefix, ticketIdFromMember, type RedisKeys } from './keys';
import type { MoveParams, ScriptedRedis } from './scripts';

/** The ticket hash fields `fetch` reads, in this order. */
const FIELDS = [
  'data',
  'number',
  'status',
  'updatedAt',
  'team',
  'assignee',
  'firstResponseAt',
  'slaBreachedAt',
  'resolvedAt',
  'csatScore',
  'csatAt',
  'slaAtRiskAt',
] as const;

const AUTO_ASSIGN_ACTOR: TicketActor = { role: 'system', id: 'auto-assign' };

/** Move script result codes (see `TICKET_MOVE`); -1, not a valid step, is the `default` below. */
const MOVED = 1;
const NOT_FOUND = 0;
const NOT_OWNER = -2;
const AT_CAPACITY = -3;

/**
 * Tickets as a hash (the immutable document as JSON, plus the fields that change: `status`,
 * `assignee`, `team`, SLA stamps) with lists for messages, history and notes, so appending is one
 * RPUSH instead of a read-modify-write. Every change is one Lua script (see `scripts.ts`), which
 * also keeps the indexes (per status and team, per agent's open tickets, SLA due) in step; reads
 * use pipelines.
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
        this.keys.ticketsNamespace(),
        numberPrefix,
        id,
        JSON.stringify({ ...rest, id }),
        updatedAt,
        ticket.priority,
        queueMemberPrefix(ticket.slaDeadline, ticket.createdAt),
        ticket.team,
        ticket.slaDeadline,
        ...messages.map((turn) => JSON.stringify(turn)),
      ),
    );
    return { ...structuredClone(ticket), id, number, status: 'new', history: [], notes: [], updatedAt };
  }

  async get(id: string): Promise<Ticket | null> {
    const [ticket] = await this.fetch([id]);
    return ticket ?? null;
  }

  async appendMessage(id: string, turn: Turn, options: { requireOwner?: string } = {}): Promise<void> {
    const count = await guard(
      this.client.mjTicketAppend(
        this.keys.ticket(id),
        this.keys.ticketMessages(id),
        this.keys.ticketsNamespace(),
        id,
        JSON.stringify(turn),
        this.clock.now(),
        turn.from === 'agent' ? '1' : '0',
        options.requireOwner ?? '',
      ),
    );
    if (count === 0) throw new AppError('NOT_FOUND', 'No such ticket');
    if (count === NOT_OWNER) throw new AppError('TICKET_NOT_OWNER');
  }

  async listQueue(options: QueueQuery = {}): Promise<Ticket[]> {
    if (options.limit !== undefined && options.limit <= 0) return [];
    const statuses: readonly TicketStatus[] =
      options.status === undefined
        ? WAITING_STATUSES
        : typeof options.status === 'string'
          ? [options.status]
          : options.status;
    const stop = options.limit === undefined ? -1 : Math.floor(options.limit) - 1;
    const pipeline = this.client.pipeline();
    for (const status of statuses) {
      const key =
        options.team === undefined ? this.keys.statusIndex(status) : this.keys.statusTeamIndex(status, options.team);
      pipeline.zrange(key, '0', String(stop), 'WITHSCORES');
    }
    const replies = (await execPipeline(pipeline)) as string[][];
    // Each index is sorted by (priority, member); merging them keeps that order.
    const entries = replies.flatMap((flat) => pairs(flat));
    entries.sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
    const members = options.limit === undefined ? entries : entries.slice(0, Math.floor(options.limit));
    const tickets = await this.fetch(members.map((m) => ticketIdFromMember(m.member)));
    return tickets.filter((t): t is Ticket => t !== undefined && statuses.includes(t.status));
  }

  async claim(id: string, agent: string): Promise<ClaimResult> {
    const actor: TicketActor = { role: 'agent', id: agent };
    const rules = rulesFor('in_progress', 'agent');
    // A claim takes a ticket from a queue; moving an owned one is a transfer, not a claim.
    const fromQueue = rules.from.filter((s) => (WAITING_STATUSES as readonly string[]).includes(s));
    const [code, status, assignee] = await this.move(id, 'in_progress', actor, { ...rules, from: fromQueue }, {});
    if (code === NOT_FOUND) throw new AppError('NOT_FOUND', 'No such ticket');
    if (code !== MOVED && !(status === 'in_progress' && assignee === agent)) {
      return { ok: false, status: status as TicketStatus, owner: assignee || null };
    }
    return { ok: true, ticket: await this.mustGet(id) };
  }

  async transition(id: string, to: TicketStatus, actor: TicketActor, change: TransitionChange = {}): Promise<Ticket> {
    const [code, status] = await this.move(id, to, actor, rulesFor(to, actor.role), change);
    switch (code) {
      case MOVED:
        return this.mustGet(id);
      case NOT_FOUND:
        throw new AppError('NOT_FOUND', 'No such ticket');
      case NOT_OWNER:
        throw new AppError('TICKET_NOT_OWNER', 'Only the agent who owns the ticket can do that');
      case AT_CAPACITY:
        throw new AppError('AGENT_AT_CAPACITY');
      default:
        throw new AppError('TICKET_TRANSITION_INVALID', `A ${actor.role} cannot move a ticket from ${status} to ${to}`);
    }
  }

  async autoAssign(id: string, candidates: readonly string[], capacity: number): Promise<AutoAssignResult> {
    // Byte order, so equal loads and equal idle times fall to the alphabetically first id (as pickAgent).
    const ordered = [...new Set(candidates)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const [code, agent] = await guard(
      this.client.mjTicketAutoAssign(
        this.keys.ticket(id),
        this.keys.ticketsNamespace(),
        id,
        capacity,
        ...this.moveParams(AUTO_ASSIGN_ACTOR, rulesFor('in_progress', 'system'), {}),
        ...ordered,
      ),
    );
    if (code === NOT_FOUND) throw new AppError('NOT_FOUND', 'No such ticket');
    if (code === AT_CAPACITY) return { ok: false, reason: 'no_capacity' };
    if (code !== MOVED) return { ok: false, reason: 'not_waiting' };
    return { ok: true, ticket: await this.mustGet(id), agent };
  }

  async release(agent: string, actor: TicketActor, options: { offlineSince?: number } = {}): Promise<Ticket[]> {
    const ids = await guard(
      this.client.mjTicketRelease(
        this.keys.presence(),
        this.keys.ticketsNamespace(),
        agent,
        options.offlineSince === undefined ? '' : String(options.offlineSince),
        ...this.moveParams(actor, rulesFor('new', actor.role), {}),
      ),
    );
    const tickets = await this.fetch(ids);
    return tickets.filter((t): t is Ticket => t !== undefined);
  }

  async addNote(id: string, note: TicketNote): Promise<void> {
    const count = await guard(
      this.client.mjTicketNote(this.keys.ticket(id), this.keys.ticketNotes(id), JSON.stringify(note), this.clock.now()),
    );
    if (count === 0) throw new AppError('NOT_FOUND', 'No such ticket');
  }

  async markSlaAtRisk(id: string, now: number): Promise<boolean> {
    return (await guard(this.client.mjTicketSlaAtRisk(this.keys.ticket(id), now))) === 1;
  }

  async markSlaBreached(id: string, now: number): Promise<boolean> {
    return (await guard(this.client.mjTicketSlaBreach(this.keys.ticket(id), this.keys.due(), id, now))) === 1;
  }

  async dueBefore(ts: number, limit?: number): Promise<Ticket[]> {
    if (limit !== undefined && limit <= 0) return [];
    const ids =
      limit === undefined
        ? await guard(this.client.zrangebyscore(this.keys.due(), '-inf', ts))
        : await guard(this.client.zrangebyscore(this.keys.due(), '-inf', ts, 'LIMIT', 0, Math.floor(limit)));
    const tickets = await this.fetch(ids);
    return tickets.filter((t): t is Ticket => t !== undefined);
  }

  async agentLoads(agents: readonly string[]): Promise<Record<string, AgentLoad>> {
    if (agents.length === 0) return {};
    const pipeline = this.client.pipeline();
    for (const agent of agents) {
      pipeline.scard(this.keys.agentOpen(agent));
      pipeline.hget(this.keys.agentsLastAssigned(), agent);
    }
    const replies = await execPipeline(pipeline);
    const result: Record<string, AgentLoad> = {};
    agents.forEach((agent, i) => {
      const last = replies[2 * i + 1] as string | null;
      result[agent] = { open: Number(replies[2 * i]), ...(last === null ? {} : { lastAssignedAt: Number(last) }) };
    });
    return result;
  }

  async recordCsat(id: string, score: number, at: number): Promise<void> {
    checkCsatScore(score);
    const recorded = await guard(this.client.mjTicketCsat(this.keys.ticket(id), score, at, this.clock.now()));
    if (recorded === 0) throw new AppError('NOT_FOUND', 'No such ticket');
  }

  private async move(
    id: string,
    to: TicketStatus,
    actor: TicketActor,
    rules: { from: TicketStatus[]; ownerOnlyFrom: TicketStatus[] },
    change: TransitionChange,
  ): Promise<[number, string, string]> {
    return guard(
      this.client.mjTicketMove(
        this.keys.ticket(id),
        this.keys.ticketsNamespace(),
        id,
        to,
        ...this.moveParams(actor, rules, change),
      ),
    );
  }

  private moveParams(
    actor: TicketActor,
    rules: { from: TicketStatus[]; ownerOnlyFrom: TicketStatus[] },
    change: TransitionChange,
  ): MoveParams {
    return [
      actor.role,
      actor.id,
      rules.from.join(','),
      rules.ownerOnlyFrom.join(','),
      change.assignTo ?? '',
      change.team ?? '',
      change.capacity === undefined ? '' : String(change.capacity),
      JSON.stringify({ role: actor.role, id: actor.id }),
      this.clock.now(),
      change.note === undefined ? '' : JSON.stringify(change.note),
    ];
  }

  private async mustGet(id: string): Promise<Ticket> {
    const ticket = await this.get(id);
    if (!ticket) throw new AppError('NOT_FOUND', 'No such ticket');
    return ticket;
  }

  /** Reads tickets by id in one round trip; a missing ticket gives `undefined` at its position. */
  private async fetch(ids: string[]): Promise<(Ticket | undefined)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const id of ids) {
      pipeline.hmget(this.keys.ticket(id), ...FIELDS);
      pipeline.lrange(this.keys.ticketMessages(id), 0, -1);
      pipeline.lrange(this.keys.ticketHistory(id), 0, -1);
      pipeline.lrange(this.keys.ticketNotes(id), 0, -1);
    }
    const replies = await execPipeline(pipeline);
    return ids.map((_, i) => {
      const [
        data,
        number,
        status,
        updatedAt,
        team,
        assignee,
        firstResponseAt,
        slaBreachedAt,
        resolvedAt,
        csatScore,
        csatAt,
        slaAtRiskAt,
      ] = replies[4 * i] as (string | null)[];
      const [messages, history, notes] = [1, 2, 3].map((k) => replies[4 * i + k] as string[]);
      if (!data || !number || !status) return undefined;
      const ticket: Ticket = {
        ...(JSON.parse(data) as Omit<Ticket, 'number' | 'status' | 'updatedAt' | 'messages' | 'history' | 'notes'>),
        number,
        status: status as TicketStatus,
        messages: messages!.map((m) => JSON.parse(m) as Turn),
        history: history!.map((h) => JSON.parse(h) as TicketTransition),
        notes: notes!.map((n) => JSON.parse(n) as TicketNote),
        updatedAt: Number(updatedAt),
      };
      if (team) ticket.team = team;
      if (assignee) ticket.assignee = assignee;
      if (firstResponseAt) ticket.firstResponseAt = Number(firstResponseAt);
      if (slaAtRiskAt) ticket.slaAtRiskAt = Number(slaAtRiskAt);
      if (slaBreachedAt) ticket.slaBreachedAt = Number(slaBreachedAt);
      if (resolvedAt) ticket.resolvedAt = Number(resolvedAt);
      if (csatScore && csatAt) ticket.csat = { score: Number(csatScore), at: Number(csatAt) };
      return ticket;
    });
  }
}

/** `[member, score, member, score, …]` → entries. */
function pairs(flat: string[]): { member: string; score: number }[] {
  const out: { member: string; score: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ member: flat[i]!, score: Number(flat[i + 1]) });
  return out;
}
