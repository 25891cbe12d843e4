import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock';
import type { Turn } from '../../domain/conversation';
import { AppError } from '../../domain/errors';
import {
  compareQueueOrder,
  isOwned,
  planTransition,
  WAITING_STATUSES,
  type NewTicket,
  type Ticket,
  type TicketActor,
  type TicketNote,
  type TicketStatus,
  type TicketTransition,
} from '../../domain/ticket';
import { pickAgent } from '../../handoff/assignment';
import { checkCsatScore } from '../csat-score';
import type { AgentLoad, AutoAssignResult, ClaimResult, QueueQuery, TicketStore, TransitionChange } from '../types';
import type { MemoryPresenceStore } from './presence-store';
import { formatTicketNumber } from './ticket-number';

interface StoredTicket {
  ticket: Ticket;
  /** Creation sequence (the numeric part of `number`): the last queue tie-breaker. */
  seq: number;
}

const AUTO_ASSIGN_ACTOR: TicketActor = { role: 'system', id: 'auto-assign' };

/**
 * Tickets in a `Map`. JavaScript runs each method to its first `await` without interruption and
 * these methods never await, so every change is atomic (number, ticket and queue in one step; a
 * claim checks and takes in one step). Queues, loads and the due list are derived on read.
 * Status steps go through `planTransition`, the same decision the Redis scripts make.
 */
export class MemoryTicketStore implements TicketStore {
  private readonly byId = new Map<string, StoredTicket>();
  /** One counter per number prefix, like the Redis `seq:<prefix>` keys. */
  private readonly counters = new Map<string, number>();
  private readonly lastAssigned = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly presence: MemoryPresenceStore,
  ) {}

  async create(ticket: NewTicket, numberPrefix: string): Promise<Ticket> {
    const seq = (this.counters.get(numberPrefix) ?? 0) + 1;
    this.counters.set(numberPrefix, seq);
    const created: Ticket = {
      ...structuredClone(ticket),
      id: randomUUID(),
      number: formatTicketNumber(numberPrefix, seq),
      status: 'new',
      history: [],
      notes: [],
      updatedAt: this.clock.now(),
    };
    this.byId.set(created.id, { ticket: created, seq });
    return structuredClone(created);
  }

  async get(id: string): Promise<Ticket | null> {
    const stored = this.byId.get(id);
    return stored ? structuredClone(stored.ticket) : null;
  }

  async appendMessage(id: string, turn: Turn, options: { requireOwner?: string } = {}): Promise<void> {
    const t = this.must(id);
    if (options.requireOwner !== undefined && !(isOwned(t.status) && t.assignee === options.requireOwner)) {
      throw new AppError('TICKET_NOT_OWNER');
    }
    const now = this.clock.now();
    t.messages.push(structuredClone(turn));
    t.updatedAt = now;
    if (turn.from === 'agent' && t.firstResponseAt === undefined) t.firstResponseAt = now;
  }

  async listQueue(options: QueueQuery = {}): Promise<Ticket[]> {
    const statuses: readonly TicketStatus[] =
      options.status === undefined
        ? WAITING_STATUSES
        : typeof options.status === 'string'
          ? [options.status]
          : options.status;
    const matching = [...this.byId.values()].filter(
      (s) => statuses.includes(s.ticket.status) && (options.team === undefined || s.ticket.team === options.team),
    );
    matching.sort((a, b) => compareQueueOrder(a.ticket, b.ticket) || a.seq - b.seq);
    const limited = options.limit === undefined ? matching : matching.slice(0, Math.max(0, options.limit));
    return limited.map((s) => structuredClone(s.ticket));
  }

  async claim(id: string, agent: string): Promise<ClaimResult> {
    const t = this.must(id);
    if (t.status === 'in_progress' && t.assignee === agent) return { ok: true, ticket: structuredClone(t) };
    const plan = planTransition(t, 'in_progress', { role: 'agent', id: agent });
    if (!plan.ok || !WAITING_STATUSES.includes(t.status as 'new')) {
      return { ok: false, status: t.status, owner: t.assignee ?? null };
    }
    this.apply(t, 'in_progress', { role: 'agent', id: agent }, plan);
    return { ok: true, ticket: structuredClone(t) };
  }

  async transition(id: string, to: TicketStatus, actor: TicketActor, change: TransitionChange = {}): Promise<Ticket> {
    const t = this.must(id);
    const plan = planTransition(t, to, actor, { assignTo: change.assignTo, team: change.team });
    if (!plan.ok) throw new AppError(plan.code, plan.message);
    if (
      change.capacity !== undefined &&
      this.isNewOwner(t, to, plan.assignee) &&
      this.load(plan.assignee!) >= change.capacity
    ) {
      throw new AppError('AGENT_AT_CAPACITY');
    }
    this.apply(t, to, actor, plan, change.note);
    return structuredClone(t);
  }

  async autoAssign(id: string, candidates: readonly string[], capacity: number): Promise<AutoAssignResult> {
    const t = this.must(id);
    if (!WAITING_STATUSES.includes(t.status as 'new')) return { ok: false, reason: 'not_waiting' };
    const loads: Record<string, number> = {};
    for (const agent of candidates) loads[agent] = this.load(agent);
    const agent = pickAgent(
      t.team,
      candidates.map((a) => ({ id: a, teams: [t.team], lastAssignedAt: this.lastAssigned.get(a) })),
      loads,
      capacity,
    );
    if (agent === null) return { ok: false, reason: 'no_capacity' };
    const plan = planTransition(t, 'in_progress', AUTO_ASSIGN_ACTOR, { assignTo: agent });
    if (!plan.ok) return { ok: false, reason: 'not_waiting' };
    this.apply(t, 'in_progress', AUTO_ASSIGN_ACTOR, plan);
    return { ok: true, ticket: structuredClone(t), agent };
  }

  async release(agent: string, actor: TicketActor, options: { offlineSince?: number } = {}): Promise<Ticket[]> {
    if (options.offlineSince !== undefined) {
      const expiry = this.presence.expiryOf(agent);
      if (expiry !== undefined && expiry > options.offlineSince) return [];
      this.presence.forget(agent);
    }
    const owned = [...this.byId.values()]
      .map((s) => s.ticket)
      .filter((t) => isOwned(t.status) && t.assignee === agent)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const released: Ticket[] = [];
    for (const t of owned) {
      const plan = planTransition(t, 'new', actor);
      if (!plan.ok) continue;
      this.apply(t, 'new', actor, plan);
      released.push(structuredClone(t));
    }
    return released;
  }

  async addNote(id: string, note: TicketNote): Promise<void> {
    const t = this.must(id);
    t.notes.push(structuredClone(note));
    t.updatedAt = this.clock.now();
  }

  async markSlaAtRisk(id: string, now: number): Promise<boolean> {
    const t = this.byId.get(id)?.ticket;
    if (!t || !pendingFirstResponse(t) || t.slaAtRiskAt !== undefined) return false;
    t.slaAtRiskAt = now;
    return true;
  }

  async markSlaBreached(id: string, now: number): Promise<boolean> {
    const t = this.byId.get(id)?.ticket;
    if (!t || !pendingFirstResponse(t) || t.slaDeadline > now) return false;
    t.slaBreachedAt = now;
    return true;
  }

  async dueBefore(ts: number, limit?: number): Promise<Ticket[]> {
    const due = [...this.byId.values()]
      .filter((s) => pendingFirstResponse(s.ticket) && s.ticket.slaDeadline <= ts)
      .sort((a, b) => a.ticket.slaDeadline - b.ticket.slaDeadline || (a.ticket.id < b.ticket.id ? -1 : 1));
    return (limit === undefined ? due : due.slice(0, Math.max(0, limit))).map((s) => structuredClone(s.ticket));
  }

  async agentLoads(agents: readonly string[]): Promise<Record<string, AgentLoad>> {
    const result: Record<string, AgentLoad> = {};
    for (const agent of agents) {
      const last = this.lastAssigned.get(agent);
      result[agent] = { open: this.load(agent), ...(last === undefined ? {} : { lastAssignedAt: last }) };
    }
    return result;
  }

  async recordCsat(id: string, score: number, at: number): Promise<void> {
    checkCsatScore(score);
    const t = this.must(id);
    t.csat = { score, at };
    t.updatedAt = this.clock.now();
  }

  private must(id: string): Ticket {
    const stored = this.byId.get(id);
    if (!stored) throw new AppError('NOT_FOUND', 'No such ticket');
    return stored.ticket;
  }

  private load(agent: string): number {
    let open = 0;
    for (const { ticket } of this.byId.values()) if (isOwned(ticket.status) && ticket.assignee === agent) open += 1;
    return open;
  }

  private isNewOwner(t: Ticket, to: TicketStatus, assignee: string | undefined): boolean {
    return isOwned(to) && (!isOwned(t.status) || assignee !== t.assignee);
  }

  /** Applies a planned step in place, with its history entry (the Redis `move` does the same). */
  private apply(
    t: Ticket,
    to: TicketStatus,
    actor: TicketActor,
    plan: { assignee: string | undefined; team: string },
    note?: string,
  ): void {
    const at = this.clock.now();
    const entry: TicketTransition = { from: t.status, to, actor: { ...actor }, at };
    if (note !== undefined) entry.note = note;
    if (plan.assignee !== t.assignee) entry.assignee = plan.assignee ?? null;
    if (plan.team !== t.team) entry.team = plan.team;
    if (this.isNewOwner(t, to, plan.assignee)) this.lastAssigned.set(plan.assignee!, at);
    if (to === 'resolved') t.resolvedAt = at;
    else if (t.status === 'resolved') delete t.resolvedAt;
    t.status = to;
    if (plan.assignee === undefined) delete t.assignee;
    else t.assignee = plan.assignee;
    t.team = plan.team;
    t.updatedAt = at;
    t.history.push(entry);
  }
}

/** Still waiting for its first agent reply, not resolved, not yet marked breached. */
function pendingFirstResponse(t: Ticket): boolean {
  return t.firstResponseAt === undefined && t.slaBreachedAt === undefined && t.status !== 'resolved';
}
