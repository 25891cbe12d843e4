import type { Clock } from '../domain/clock';
import { summarize, type LiveEvent } from '../domain/live-event';
import type { Ticket } from '../domain/ticket';
import type { Logger } from '../observability/logger';
import type { EventBus, PresenceStore } from '../store/types';
import type { HandoffService } from './service';

export interface LivePublisherDeps {
  handoff: HandoffService;
  bus: EventBus;
  presence: PresenceStore;
  clock: Clock;
  /** Display names of owners ("taken by Budi"); without it summaries carry usernames only. */
  displayName?: (username: string) => Promise<string>;
  logger?: Logger;
}

/**
 * Turns what happens to tickets into the console's live events on the `EventBus` (so every
 * instance's console clients see them):
 *
 * - `ticket_changed` for every `HandoffService` change, an agent reply (`change: 'reply'`) and each
 *   ticket an offline agent lost (`change: 'requeued'`);
 * - `new_handoff` when the engine queues a ticket (`newHandoff`, called by the composition root),
 *   plus `supervisor_alert` (`no_agent_online`) when nobody of the ticket's team is online;
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

  /** A ticket was just queued by the engine: tell every console, and supervisors if nobody can take it. */
  async newHandoff(ticket: Ticket): Promise<void> {
    await this.publishNow({ type: 'new_handoff', at: this.now(), ticket: summarize(ticket) });
    try {
      const online = await this.deps.presence.onlineAgents({ now: this.now(), team: ticket.team });
      if (online.length > 0) return;
    } catch (err) {
      this.deps.logger?.warn({ err }, 'presence check for a new handoff failed');
      return;
    }
    await this.publishNow({
      type: 'supervisor_alert',
      at: this.now(),
      alert: 'no_agent_online',
      ticketId: ticket.id,
      team: ticket.team,
      message: {
        id: `Tiket baru ${ticket.number} untuk tim ${ticket.team}, tetapi tidak ada agen tim itu yang online.`,
        en: `New ticket ${ticket.number} for team ${ticket.team}, but no agent of that team is online.`,
      },
    });
  }

  private now(): number {
    return this.deps.clock.now();
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
