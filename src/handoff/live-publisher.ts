import type { Clock } from '../domain/clock';
import { summarize, type AlertKind, type LiveEvent } from '../domain/live-event';
import type { AttentionReason, Ticket } from '../domain/ticket';
import type { Logger } from '../observability/logger';
import type { EventBus, TicketStore } from '../store/types';
import type { HandoffService } from './service';

export interface LivePublisherDeps {
  handoff: HandoffService;
  /** Where `customerMessage` reads the ticket it announces. */
  tickets: Pick<TicketStore, 'get'>;
  bus: EventBus;
  clock: Clock;
  /** Display names of owners ("taken by Budi"); without it summaries carry usernames only. */
  displayName?: (username: string) => Promise<string>;
  logger?: Logger;
}

const ALERT_MESSAGES: Record<AttentionReason, (t: Ticket) => { id: string; en: string }> = {
  no_agent_online: (t) => ({
    id: `Tiket ${t.number} (tim ${t.team}) menunggu, tetapi tidak ada agen tim itu yang online.`,
    en: `Ticket ${t.number} (team ${t.team}) is waiting, but no agent of that team is online.`,
  }),
  after_hours: (t) => ({
    id: `Tiket ${t.number} (tim ${t.team}) masuk di luar jam kerja.`,
    en: `Ticket ${t.number} (team ${t.team}) arrived outside business hours.`,
  }),
  sla_at_risk: (t) => ({
    id: `Tiket ${t.number} hampir melewati batas respons pertama (SLA).`,
    en: `Ticket ${t.number} is about to miss its first-response deadline (SLA).`,
  }),
};

/**
 * Turns what happens to tickets into the console's live events on the `EventBus` (so every
 * instance's console clients see them):
 *
 * - `ticket_changed` for every `HandoffService` change, an agent reply (`change: 'reply'`) and each
 *   ticket an offline agent lost (`change: 'requeued'`);
 * - `new_handoff` when the engine queues a ticket (`newHandoff`, called by the composition root);
 * - `ticket_changed` (`change: 'customer_message'`) when the customer writes to an open ticket
 *   (`customerMessage`, from the engine's `onTicketMessage`);
 * - `supervisor_alert` for the service's own alerts (nobody online, after hours, SLA at risk);
 * - `sla_breached` plus a `supervisor_alert` when the first-response SLA passes;
 * - `supervisor_alert` (`tickets_requeued`) when an offline agent's tickets go back to the queue.
 *
 * Publishing never throws into the service: a failure is logged (the console re-reads the queue
 * on reconnect, so a lost event heals).
 */
export class LivePublisher {
  constructor(private readonly deps: LivePublisherDeps) {
    const { handoff } = deps;
    handoff.on('ticket_changed', ({ ticket, change, actor }) =>
      this.publish({ type: 'ticket_changed', at: this.now(), change, actor, ticket: summarize(ticket) }),
    );
    handoff.on('agent_reply', ({ ticket, turn }) =>
      this.publish({
        type: 'ticket_changed',
        at: this.now(),
        change: 'reply',
        actor: { role: 'agent', id: turn.agent ?? 'agent' },
        ticket: summarize(ticket),
      }),
    );
    handoff.on('supervisor_alert', ({ ticket, reason }) =>
      this.publish({
        type: 'supervisor_alert',
        at: this.now(),
        alert: reason,
        ticketId: ticket.id,
        team: ticket.team,
        message: ALERT_MESSAGES[reason](ticket),
      }),
    );
    handoff.on('sla_breached', ({ ticket }) => {
      this.publish({ type: 'sla_breached', at: this.now(), ticket: summarize(ticket) });
      this.publish({
        type: 'supervisor_alert',
        at: this.now(),
        alert: 'sla_breached',
        ticketId: ticket.id,
        team: ticket.team,
        message: {
          id: `Tiket ${ticket.number} melewati batas waktu respons pertama (SLA).`,
          en: `Ticket ${ticket.number} passed its first-response deadline (SLA).`,
        },
      });
    });
    handoff.on('tickets_requeued', ({ agent, tickets }) => {
      for (const ticket of tickets) {
        this.publish({
          type: 'ticket_changed',
          at: this.now(),
          change: 'requeued',
          actor: { role: 'system', id: 'offline-sweep' },
          ticket: summarize(ticket),
        });
      }
      this.publish({
        type: 'supervisor_alert',
        at: this.now(),
        alert: 'tickets_requeued',
        agent,
        message: {
          id: `${agent} offline: ${tickets.length} tiket kembali ke antrean.`,
          en: `${agent} went offline: ${tickets.length} ticket(s) went back to the queue.`,
        },
      });
    });
  }

  /**
   * The customer wrote to a ticket that a person owns or that waits in a queue: consoles showing it
   * re-read it (`change: 'customer_message'`; the event carries the summary, never the text).
   */
  async customerMessage(ticketId: string): Promise<void> {
    const ticket = await this.deps.tickets.get(ticketId).catch(() => null);
    if (!ticket) return;
    await this.publishNow({
      type: 'ticket_changed',
      at: this.now(),
      change: 'customer_message',
      actor: { role: 'customer', id: ticket.conversationId },
      ticket: summarize(ticket),
    });
  }

  /** A ticket was just queued by the engine: tell every console. */
  async newHandoff(ticket: Ticket): Promise<void> {
    await this.publishNow({ type: 'new_handoff', at: this.now(), ticket: summarize(ticket) });
  }

  private now(): number {
    return this.deps.clock.now();
  }

  /** An alert about a channel rather than a ticket (WhatsApp Web stopped), to supervisors. */
  channelAlert(alert: AlertKind, message: { id: string; en: string }): void {
    this.publish({ type: 'supervisor_alert', at: this.now(), alert, message });
  }

  private publish(event: LiveEvent): void {
    void this.publishNow(event);
  }

  private async publishNow(event: LiveEvent): Promise<void> {
    try {
      if ('ticket' in event && event.ticket.assignee && this.deps.displayName) {
        event.ticket.assigneeName = await this.deps.displayName(event.ticket.assignee);
      }
      await this.deps.bus.publish(event);
    } catch (err) {
      this.deps.logger?.warn({ err, type: event.type }, 'live event not published');
    }
  }
}
