import { z } from 'zod';
import type { Ticket, TicketActor, TicketStatus } from './ticket';

/**
 * What the console's live stream carries (`GET /api/events`, server-sent events). Every instance
 * publishes to the `EventBus`, every instance's SSE clients receive from it, so an agent on
 * instance B sees a claim made on instance A.
 *
 * Events carry a ticket *summary* (what a queue row shows), never the transcript: the
 * conversation view fetches `GET /api/tickets/:id` when it needs more.
 */
export interface TicketSummary {
  id: string;
  number: string;
  status: TicketStatus;
  team: string;
  category: string;
  priority: number;
  channel: string;
  customerName?: string;
  /** Username of the owner, when someone owns the ticket. */
  assignee?: string;
  /** The owner's display name ("Budi"), when known. */
  assigneeName?: string;
  createdAt: number;
  slaDeadline: number;
  firstResponseAt?: number;
  slaBreachedAt?: number;
  resolvedAt?: number;
  updatedAt: number;
  /** The customer's message that caused the handoff, cut to `PREVIEW_CHARS` (customer text: render as text). */
  preview: string;
}

/** How much of the customer's message a queue row shows. */
export const PREVIEW_CHARS = 140;

/** Why supervisors are alerted. */
export const ALERT_KINDS = [
  'sla_breached',
  'tickets_requeued',
  'no_agent_online',
  'after_hours',
  'sla_at_risk',
  'whatsapp_web_stopped',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export type LiveEvent =
  /** A ticket changed (claimed, assigned, status, transfer, note, resolved, reopened, requeued). */
  | { type: 'ticket_changed'; at: number; change: string; actor: TicketActor; ticket: TicketSummary }
  /** A customer was handed off: a new ticket waits in a queue. */
  | { type: 'new_handoff'; at: number; ticket: TicketSummary }
  /** The first-response SLA of a ticket passed without an agent reply (once across instances). */
  | { type: 'sla_breached'; at: number; ticket: TicketSummary }
  /** Something supervisors should act on; `message` is ready to show (Indonesian first, English too). */
  | {
      type: 'supervisor_alert';
      at: number;
      alert: AlertKind;
      message: { id: string; en: string };
      ticketId?: string;
      team?: string;
      agent?: string;
    };

export type LiveEventType = LiveEvent['type'];
export const LIVE_EVENT_TYPES = [
  'ticket_changed',
  'new_handoff',
  'sla_breached',
  'supervisor_alert',
] as const satisfies readonly LiveEventType[];

/** The summary a queue row needs; pure. */
export function summarize(ticket: Ticket): TicketSummary {
  const summary: TicketSummary = {
    id: ticket.id,
    number: ticket.number,
    status: ticket.status,
    team: ticket.team,
    category: ticket.category,
    priority: ticket.priority,
    channel: ticket.channel,
    createdAt: ticket.createdAt,
    slaDeadline: ticket.slaDeadline,
    updatedAt: ticket.updatedAt,
    preview: ticket.context.originalText.slice(0, PREVIEW_CHARS),
  };
  if (ticket.customerName !== undefined) summary.customerName = ticket.customerName;
  if (ticket.assignee !== undefined) summary.assignee = ticket.assignee;
  if (ticket.firstResponseAt !== undefined) summary.firstResponseAt = ticket.firstResponseAt;
  if (ticket.slaBreachedAt !== undefined) summary.slaBreachedAt = ticket.slaBreachedAt;
  if (ticket.resolvedAt !== undefined) summary.resolvedAt = ticket.resolvedAt;
  return summary;
}

/**
 * Checks an event read back from outside the process (Redis pub/sub): the envelope must be one of
 * ours; the payload is then trusted as our own serialisation.
 */
export const liveEventEnvelope = z.looseObject({ type: z.enum(LIVE_EVENT_TYPES), at: z.number() });

export function parseLiveEvent(json: string): LiveEvent | null {
  try {
    const value: unknown = JSON.parse(json);
    return liveEventEnvelope.safeParse(value).success ? (value as LiveEvent) : null;
  } catch {
    return null;
  }
}
