import { z } from 'zod';

/**
 * The audit log's vocabulary: who did what to which ticket, and when. Entries never carry message
 * text or customer details (the ticket id leads there for those allowed to look), so the log can
 * be kept long and read by supervisors without leaking what customers wrote.
 */
export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'read',
  'claim',
  'take_next',
  'reply',
  'note',
  'transfer',
  'status',
  'resolve',
  'customer_notes_read',
  'customer_notes_write',
  'attachment_read',
  'hand_back',
  'whatsapp_web',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** Store-assigned, increasing: newer entries have later ids (use as the `before` cursor). */
  id: string;
  at: number;
  /** Username (or `api-token`) and role at the time. */
  actor: { username: string; role: string };
  action: AuditAction;
  ticketId?: string;
  /** Small, safe facts about the action: `{to: 'escalated'}`, `{team: 'billing'}`, never text. */
  detail?: Record<string, string>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/** Validates an entry read back from a store (Redis), so a malformed record never reaches a client. */
export const auditEntrySchema = z.strictObject({
  id: z.string(),
  at: z.number(),
  actor: z.strictObject({ username: z.string(), role: z.string() }),
  action: z.enum(AUDIT_ACTIONS),
  ticketId: z.string().optional(),
  detail: z.record(z.string(), z.string()).optional(),
});
