import type { Locale } from './locale';
import type { Turn } from './conversation';

/**
 * Ticket statuses and the life cycle agents drive.
 *
 * ```
 *            claim / assign                 ask the customer
 *   new ──────────────────► in_progress ◄──────────────────► waiting_customer
 *    ▲ │ ▲                    │  │  ▲          customer replies       │
 *    │ │ └── release/requeue ─┘  │  └── claim (supervisor, team) ─┐   │
 *    │ └──── escalate ──────► escalated ◄──── escalate ─────────────────┘
 *    │                           │                                │
 *    └── reopen ── resolved ◄────┴───── resolve (also from new: "batal", and from waiting) ─┘
 * ```
 * `new` and `escalated` tickets wait in a team's queue with no owner; `in_progress` and
 * `waiting_customer` belong to one agent (the `assignee`) and count towards that agent's load.
 * `TRANSITIONS` below is the complete list, with who may trigger each step.
 */
export const TICKET_STATUSES = ['new', 'in_progress', 'waiting_customer', 'escalated', 'resolved'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses of a ticket that waits in a queue for an owner (what `takeNext` and auto-assignment pick from). */
export const WAITING_STATUSES = ['new', 'escalated'] as const satisfies readonly TicketStatus[];
/** Statuses of a ticket an agent owns; each one counts towards the agent's capacity. */
export const OWNED_STATUSES = ['in_progress', 'waiting_customer'] as const satisfies readonly TicketStatus[];

export function isWaiting(status: TicketStatus): boolean {
  return (WAITING_STATUSES as readonly TicketStatus[]).includes(status);
}
export function isOwned(status: TicketStatus): boolean {
  return (OWNED_STATUSES as readonly TicketStatus[]).includes(status);
}

/**
 * Who acts on a ticket. `agent` / `supervisor` / `admin` are console users (the auth roles);
 * `system` is the bot or a timer (auto-assignment, the offline sweep); `customer` is the person
 * who wrote in (a reply while we wait for them, "batal", a reopen).
 */
export const ACTOR_ROLES = ['agent', 'supervisor', 'admin', 'system', 'customer'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];
export interface TicketActor {
  role: ActorRole;
  /** Username for console users, e.g. `agent1`; `auto-assign`, `offline-sweep`, `bot`… for `system`; the conversation id for `customer`. */
  id: string;
}

/** One step of a ticket's life, appended by the store in the same atomic write as the change. */
export interface TicketTransition {
  from: TicketStatus;
  to: TicketStatus;
  actor: TicketActor;
  at: number;
  note?: string;
  /** The owner after this step, when it changed (`null`: the ticket went back to a queue). */
  assignee?: string | null;
  /** The team after this step, when it changed (a transfer or an escalation to another team). */
  team?: string;
}

/** An internal note: agents and supervisors read it in the console; it is never sent to the customer. */
export interface TicketNote {
  at: number;
  author: string;
  text: string;
}

/** Everything an agent needs to answer without asking the customer again. */
export interface ContextPacket {
  category: string;
  intent: string | null;
  confidence: number | null;
  /** Top candidates at handoff time. */
  ranking: { intent: string; confidence: number }[];
  /** The policy rule that fired, e.g. `handoff:complaint_tone`. */
  rule: string;
  /** The message that caused the handoff (the original one when a clarification preceded it). */
  originalText: string;
  clarification?: { question: string; options: string[]; answer: string };
  /** Identity details collected before queuing (billing), and whether the customer gave them. */
  verification?: { fields: Record<string, string>; verified: boolean };
}

export interface Ticket {
  /** Opaque unique id (store-assigned). */
  id: string;
  /** Human-friendly number shown to customers and agents, e.g. `MJ-000042`. */
  number: string;
  conversationId: string;
  channel: string;
  senderId: string;
  customerName?: string;
  locale: Locale;
  category: string;
  /** The team whose queue holds the ticket; a transfer or an escalation changes it. */
  team: string;
  /** Lower is more urgent; emergency is 0. */
  priority: number;
  status: TicketStatus;
  createdAt: number;
  /** First-response deadline, epoch ms, computed with business hours. */
  slaDeadline: number;
  context: ContextPacket;
  /** Transcript at handoff, every customer message appended since, and every agent reply. */
  messages: Turn[];
  /** The owning agent while `in_progress` / `waiting_customer`; kept on `resolved` (who resolved it). */
  assignee?: string;
  /** Every status change and reassignment, oldest first (empty for a ticket nobody touched yet). */
  history: TicketTransition[];
  /** Internal notes, oldest first. */
  notes: TicketNote[];
  /** When an agent first replied: the first-response SLA is met or breached by this. */
  firstResponseAt?: number;
  /** Set once, when the SLA watcher found the deadline close with no first response (`sla.ts`). */
  slaAtRiskAt?: number;
  /** Set once, when the SLA watcher found the deadline passed without a first response. */
  slaBreachedAt?: number;
  /** When the ticket was last resolved (for the reopen window); cleared when it reopens. */
  resolvedAt?: number;
  /** The customer's satisfaction rating after the resolve (1–5) and when it was given. */
  csat?: { score: number; at: number };
  /**
   * Set when the ticket was queued while nobody could answer soon (no agent of the team online,
   * or outside business hours): the customer was told when to expect a reply and supervisors
   * were alerted. `expectedReplyAt` is what the customer was told (the next opening, or the
   * first-response deadline).
   */
  attention?: { reason: AttentionReason; at: number; expectedReplyAt: number };
  updatedAt: number;
}

/** The CSAT scale: 1 (very dissatisfied) to 5 (very satisfied). */
export const CSAT_MIN = 1;
export const CSAT_MAX = 5;

/** Whether `score` is a rating on the CSAT scale (an integer 1–5). */
export function isCsatScore(score: number): boolean {
  return Number.isInteger(score) && score >= CSAT_MIN && score <= CSAT_MAX;
}

/**
 * Why a ticket needs a supervisor's attention: queued while nobody could answer soon
 * (`no_agent_online`, `after_hours`), or its first-response deadline is close (`sla_at_risk`).
 */
export type AttentionReason = 'no_agent_online' | 'after_hours' | 'sla_at_risk';

/** What the engine hands to the ticket store; the store assigns the rest. */
export type NewTicket = Omit<
  Ticket,
  | 'id'
  | 'number'
  | 'status'
  | 'updatedAt'
  | 'assignee'
  | 'history'
  | 'notes'
  | 'firstResponseAt'
  | 'slaAtRiskAt'
  | 'slaBreachedAt'
  | 'resolvedAt'
  | 'csat'
>;

/**
 * One allowed step. `by` lists the roles that may trigger it; `ownerOnly` means an `agent` must be
 * the ticket's current assignee (supervisors, admins and the system may act on anyone's ticket).
 */
export interface TransitionRule {
  from: TicketStatus;
  to: TicketStatus;
  by: readonly ActorRole[];
  ownerOnly?: boolean;
  /** What the step means, for docs and error messages. */
  means: string;
}

const STAFF = ['agent', 'supervisor', 'admin'] as const;
const LEADS = ['supervisor', 'admin'] as const;

/** The whole ticket life cycle. Anything not listed is refused (`TICKET_TRANSITION_INVALID`). */
export const TRANSITIONS: readonly TransitionRule[] = [
  { from: 'new', to: 'in_progress', by: [...STAFF, 'system'], means: 'claim, take next or (auto-)assign' },
  { from: 'escalated', to: 'in_progress', by: [...STAFF, 'system'], means: 'someone of the escalation team takes it' },
  {
    from: 'in_progress',
    to: 'waiting_customer',
    by: STAFF,
    ownerOnly: true,
    means: 'the agent asked the customer for information',
  },
  {
    from: 'waiting_customer',
    to: 'in_progress',
    by: [...STAFF, 'customer'],
    ownerOnly: true,
    means: 'the customer answered (or the agent resumes)',
  },
  { from: 'new', to: 'escalated', by: [...STAFF, 'system'], means: 'escalate before anyone claimed it' },
  {
    from: 'in_progress',
    to: 'escalated',
    by: STAFF,
    ownerOnly: true,
    means: 'escalate to a supervisor or another team',
  },
  {
    from: 'waiting_customer',
    to: 'escalated',
    by: STAFF,
    ownerOnly: true,
    means: 'escalate while waiting for the customer',
  },
  {
    from: 'in_progress',
    to: 'new',
    by: [...STAFF, 'system'],
    ownerOnly: true,
    means: 'release: back to the queue (also an offline agent, or a transfer to a team)',
  },
  {
    from: 'waiting_customer',
    to: 'new',
    by: [...STAFF, 'system'],
    ownerOnly: true,
    means: 'release while waiting for the customer',
  },
  { from: 'escalated', to: 'new', by: LEADS, means: 'de-escalate, back to a normal queue' },
  {
    from: 'new',
    to: 'resolved',
    by: [...LEADS, 'customer'],
    means: 'the customer cancelled ("batal") or a supervisor closed it',
  },
  { from: 'escalated', to: 'resolved', by: [...LEADS, 'customer'], means: 'closed while escalated' },
  { from: 'in_progress', to: 'resolved', by: STAFF, ownerOnly: true, means: 'resolve' },
  {
    from: 'waiting_customer',
    to: 'resolved',
    by: STAFF,
    ownerOnly: true,
    means: 'resolve while waiting for the customer',
  },
  {
    from: 'resolved',
    to: 'new',
    by: [...LEADS, 'customer'],
    means: 'reopen (a customer message within the reopen window)',
  },
  { from: 'new', to: 'new', by: STAFF, means: "transfer a waiting ticket to another team's queue" },
  { from: 'in_progress', to: 'in_progress', by: STAFF, ownerOnly: true, means: 'transfer to another agent' },
];

/** A refused step, by cause (codes of the error catalog). */
export interface TransitionRefusal {
  code: 'TICKET_TRANSITION_INVALID' | 'TICKET_NOT_OWNER';
  message: string;
}

/** What a step changes besides the status. */
export interface TransitionOptions {
  /** Give the ticket to this agent (assign, transfer to an agent). Without it, staff taking a ticket from a queue become its owner. */
  assignTo?: string;
  /** Move the ticket to this team (transfer, escalation to another team). */
  team?: string;
}

/**
 * Decides a step: refused (by cause), or the owner and team afterwards. Pure; the memory store
 * calls it and the Redis scripts implement the same decision atomically (they receive `rulesFor`).
 *
 * Ownership: a ticket going back to a queue (`new`, `escalated`) has no owner; one taken from a
 * queue is owned by `assignTo`, else by the staff member taking it; `assignTo` also moves an owned
 * ticket to another agent; otherwise the owner stays (a resolved ticket remembers who resolved it).
 */
export function planTransition(
  ticket: Pick<Ticket, 'status' | 'assignee' | 'team'>,
  to: TicketStatus,
  actor: TicketActor,
  options: TransitionOptions = {},
): { ok: true; assignee: string | undefined; team: string } | ({ ok: false } & TransitionRefusal) {
  const rule = TRANSITIONS.find((r) => r.from === ticket.status && r.to === to);
  if (!rule || !rule.by.includes(actor.role)) {
    return {
      ok: false,
      code: 'TICKET_TRANSITION_INVALID',
      message: `A ${actor.role} cannot move a ticket from ${ticket.status} to ${to}`,
    };
  }
  if (rule.ownerOnly && actor.role === 'agent' && ticket.assignee !== actor.id) {
    return { ok: false, code: 'TICKET_NOT_OWNER', message: 'Only the agent who owns the ticket can do that' };
  }
  const staff = actor.role === 'agent' || actor.role === 'supervisor' || actor.role === 'admin';
  let assignee: string | undefined;
  if (isWaiting(to)) assignee = undefined;
  else if (to === 'resolved') assignee = ticket.assignee;
  else if (options.assignTo !== undefined) assignee = options.assignTo;
  else if (isWaiting(ticket.status)) assignee = staff ? actor.id : undefined;
  else assignee = ticket.assignee;
  if (isOwned(to) && !assignee) {
    return { ok: false, code: 'TICKET_TRANSITION_INVALID', message: `A ticket in ${to} needs an agent to own it` };
  }
  if (to === 'in_progress' && ticket.status === 'in_progress' && assignee === ticket.assignee) {
    return {
      ok: false,
      code: 'TICKET_TRANSITION_INVALID',
      message: 'The ticket is already in progress with that agent',
    };
  }
  return { ok: true, assignee, team: options.team ?? ticket.team };
}

/**
 * For one target status and actor role: the statuses it may come from, and those among them where
 * an agent must be the owner. The Redis scripts receive these lists, so the rule table above stays
 * the one definition of the machine.
 */
export function rulesFor(to: TicketStatus, role: ActorRole): { from: TicketStatus[]; ownerOnlyFrom: TicketStatus[] } {
  const rules = TRANSITIONS.filter((r) => r.to === to && r.by.includes(role));
  return {
    from: rules.map((r) => r.from),
    ownerOnlyFrom: role === 'agent' ? rules.filter((r) => r.ownerOnly).map((r) => r.from) : [],
  };
}

/** Queue order: priority (0 first), then SLA deadline, then arrival. Ties after that fall to creation order (the store's). */
export function compareQueueOrder(
  a: Pick<Ticket, 'priority' | 'slaDeadline' | 'createdAt'>,
  b: Pick<Ticket, 'priority' | 'slaDeadline' | 'createdAt'>,
): number {
  return a.priority - b.priority || a.slaDeadline - b.slaDeadline || a.createdAt - b.createdAt;
}
