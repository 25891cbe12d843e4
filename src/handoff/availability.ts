import type { BusinessCalendar, SlaTarget } from '../content/model';
import { isOpen, nextOpening } from './business-hours';

/**
 * When a customer who is handed off can honestly expect a reply (pure):
 * - `after_hours`: the category is served in business hours and the business is closed now: the
 *   team starts at the next opening (`expectedReplyAt`), whoever happens to be logged in;
 * - `no_agent_online`: open (or a 24/7 category), but nobody of the team is online: a supervisor
 *   is alerted and the first-response deadline (`expectedReplyAt`) is all we can promise;
 * - `normal`: someone of the team is online in opening hours; the channel-switch message's SLA
 *   stands on its own.
 *
 * ```ts
 * replyExpectation({ now: saturday20h, sla, calendar, agentsOnline: 2, deadline })
 * // { kind: 'after_hours', expectedReplyAt: monday08h }
 * ```
 */
export type ReplyExpectation =
  | { kind: 'normal' }
  | { kind: 'after_hours'; expectedReplyAt: number }
  | { kind: 'no_agent_online'; expectedReplyAt: number };

export function replyExpectation(input: {
  now: number;
  sla: SlaTarget;
  calendar: BusinessCalendar;
  /** How many agents of the ticket's team are online now (presence). */
  agentsOnline: number;
  /** The ticket's first-response deadline. */
  deadline: number;
}): ReplyExpectation {
  if (input.sla.businessHours && !isOpen(input.now, input.calendar)) {
    return { kind: 'after_hours', expectedReplyAt: nextOpening(input.now, input.calendar) };
  }
  if (input.agentsOnline === 0) return { kind: 'no_agent_online', expectedReplyAt: input.deadline };
  return { kind: 'normal' };
}
