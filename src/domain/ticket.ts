import type { Locale } from './locale';
import type { Turn } from './conversation';

/** Ticket statuses. Issue #4 adds the agent-side transitions; the engine creates `new` tickets. */
export const TICKET_STATUSES = ['new', 'in_progress', 'waiting_customer', 'escalated', 'resolved'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

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
  team: string;
  /** Lower is more urgent; emergency is 0. */
  priority: number;
  status: TicketStatus;
  createdAt: number;
  /** First-response deadline, epoch ms, computed with business hours. */
  slaDeadline: number;
  context: ContextPacket;
  /** Transcript at handoff plus every customer message appended while queued. */
  messages: Turn[];
  assignee?: string;
  updatedAt: number;
}

/** What the engine hands to the ticket store; the store assigns `id`, `number`, `status`. */
export type NewTicket = Omit<Ticket, 'id' | 'number' | 'status' | 'updatedAt'>;
