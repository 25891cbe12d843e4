import { isWaiting, type Ticket, type TicketStatus } from '../domain/ticket';
import type { AgentLoad, AgentPresence } from '../store/types';

/** One team's queue as the supervisor sees it. */
export interface TeamOverview {
  team: string;
  /** Tickets per open status. */
  counts: Record<Exclude<TicketStatus, 'resolved'>, number>;
  /** `new` + `escalated`: waiting for an owner. */
  depth: number;
  /** How long the longest-waiting unowned ticket has waited (ms); null when none waits. */
  oldestWaitMs: number | null;
  /** Open tickets whose first-response SLA was breached. */
  breachedOpen: number;
}

export interface AgentOverview {
  username: string;
  displayName: string;
  teams: string[];
  /** Open tickets (`in_progress` + `waiting_customer`). */
  open: number;
  onlineUntil: number;
}

export interface SupervisorOverview {
  at: number;
  teams: TeamOverview[];
  /**
   * First-response SLA over the tickets looked at: `met` (an agent replied by the deadline),
   * `breached` (marked, replied late, or still unanswered past the deadline), `attainment` =
   * met / (met + breached), null when nothing was decided yet. Tickets still within their deadline
   * without a reply are `pending`.
   */
  sla: { met: number; breached: number; pending: number; attainment: number | null };
  agents: AgentOverview[];
}

/**
 * The supervisor view, computed from tickets (open and resolved), online agents and their loads.
 * Pure: the route gathers the inputs.
 */
export function supervisorOverview(input: {
  now: number;
  tickets: readonly Ticket[];
  teams: readonly string[];
  online: readonly AgentPresence[];
  loads: Record<string, AgentLoad>;
  names: Record<string, string>;
}): SupervisorOverview {
  const { now } = input;
  const byTeam = new Map<string, TeamOverview>();
  const team = (id: string): TeamOverview => {
    let t = byTeam.get(id);
    if (!t) {
      t = {
        team: id,
        counts: { new: 0, in_progress: 0, waiting_customer: 0, escalated: 0 },
        depth: 0,
        oldestWaitMs: null,
        breachedOpen: 0,
      };
      byTeam.set(id, t);
    }
    return t;
  };
  for (const id of input.teams) team(id);

  const sla = { met: 0, breached: 0, pending: 0 };
  for (const ticket of input.tickets) {
    if (ticket.status !== 'resolved') {
      const t = team(ticket.team);
      t.counts[ticket.status]++;
      if (isWaiting(ticket.status)) {
        t.depth++;
        const waited = Math.max(0, now - ticket.createdAt);
        t.oldestWaitMs = Math.max(t.oldestWaitMs ?? 0, waited);
      }
      if (ticket.slaBreachedAt !== undefined) t.breachedOpen++;
    }
    const replied = ticket.firstResponseAt;
    if (ticket.slaBreachedAt !== undefined || (replied !== undefined && replied > ticket.slaDeadline)) sla.breached++;
    else if (replied !== undefined) sla.met++;
    else if (ticket.status === 'resolved')
      continue; // closed without a reply ("batal"): no verdict
    else if (now > ticket.slaDeadline) sla.breached++;
    else sla.pending++;
  }
  const decided = sla.met + sla.breached;
  return {
    at: now,
    teams: [...byTeam.values()].sort((a, b) => (a.team < b.team ? -1 : 1)),
    sla: { ...sla, attainment: decided === 0 ? null : sla.met / decided },
    agents: input.online.map((a) => ({
      username: a.id,
      displayName: input.names[a.id] ?? a.id,
      teams: [...a.teams],
      open: input.loads[a.id]?.open ?? 0,
      onlineUntil: a.expiresAt,
    })),
  };
}
