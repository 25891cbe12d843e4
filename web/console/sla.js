import { formatDuration } from './dom.js';

/**
 * The SLA countdown's colour, pure: `met` once an agent replied in time, `breached` (red) after
 * the deadline or once the server marked it, `warning` (amber) with less than 25% of the time
 * left, `ok` otherwise. `left` is ms to the deadline (negative when passed).
 */
export const WARNING_SHARE = 0.25;

export function slaState(ticket, now) {
  const left = ticket.slaDeadline - now;
  if (ticket.firstResponseAt !== undefined && ticket.firstResponseAt !== null) {
    return { state: ticket.firstResponseAt <= ticket.slaDeadline ? 'met' : 'breached', left };
  }
  if (ticket.slaBreachedAt || left <= 0) return { state: 'breached', left };
  const total = Math.max(1, ticket.slaDeadline - ticket.createdAt);
  return { state: left < total * WARNING_SHARE ? 'warning' : 'ok', left };
}

/** The countdown as shown: time left, how late, or answered. */
export function slaText(sla) {
  if (sla.state === 'met') return '✓ dijawab · answered';
  if (sla.state === 'breached') return `lewat ${formatDuration(-sla.left)} · breached`;
  return formatDuration(sla.left);
}
