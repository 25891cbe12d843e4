import type { Clock } from '../domain/clock';
import type { Logger } from '../observability/logger';
import type { Ticket } from '../domain/ticket';
import type { Stores } from '../store/types';
import { SLA_AT_RISK_MAX_LEAD_MS, slaAtRiskFrom } from './sla';
import { OFFLINE_SWEEP_ACTOR, type HandoffService } from './service';

export interface SlaWatcherDeps {
  stores: Stores;
  clock: Clock;
  handoff: HandoffService;
  /** How long an agent's heartbeat may be expired before their open tickets go back to the queue. */
  presenceGraceMs: number;
  /**
   * Tells the customer of a ticket whose first response is at risk when to expect a reply (the
   * engine renders and sends it). Called once per ticket, by the instance that marked it.
   */
  warnCustomer?: (ticket: Ticket) => Promise<void>;
  logger?: Logger;
}

/** What one tick did, for logs and tests. */
export interface TickReport {
  atRisk: string[];
  breached: string[];
  requeued: { agent: string; tickets: string[] }[];
  assigned: string[];
}

/** At most this many tickets per step of one tick, so a backlog never blocks the timer for long. */
const BATCH = 100;
/** Tickets looked at for the at-risk warning per tick (all due within 15 minutes, nearest first). */
const AT_RISK_BATCH = 500;

/**
 * The handoff timers, with the store as the only record: every instance may tick (on an interval)
 * and nothing is lost on a restart, because each step is a query over the store plus atomic marks.
 * One tick:
 * 1. SLA: tickets past their first-response deadline are marked breached, exactly once across all
 *    instances (`markSlaBreached`), and `sla_breached` is emitted by the instance that marked it;
 *    tickets whose deadline is close (`slaAtRiskFrom`) are marked at risk, once, and that instance
 *    alerts supervisors and tells the customer honestly when to expect a reply (`warnCustomer`);
 * 2. presence: agents whose heartbeat expired more than the grace period ago get their open tickets
 *    returned to the queue (atomically re-checked, so an agent who just came back keeps them);
 * 3. auto-assignment: waiting tickets of auto-assign teams go to online agents with room (tickets
 *    that arrived while nobody was online, or that were just requeued).
 */
export class SlaWatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TickReport> | undefined;

  constructor(private readonly deps: SlaWatcherDeps) {}

  async tick(now: number = this.deps.clock.now()): Promise<TickReport> {
    const { stores, handoff } = this.deps;
    const report: TickReport = { atRisk: [], breached: [], requeued: [], assigned: [] };

    for (const ticket of await stores.tickets.dueBefore(now, BATCH)) {
      if (await stores.tickets.markSlaBreached(ticket.id, now)) {
        report.breached.push(ticket.id);
        handoff.emit('sla_breached', { ticket: { ...ticket, slaBreachedAt: now } });
      }
    }

    // Tickets due within the longest warning lead, nearest first; each has its own lead.
    for (const ticket of await stores.tickets.dueBefore(now + SLA_AT_RISK_MAX_LEAD_MS, AT_RISK_BATCH)) {
      if (ticket.slaAtRiskAt !== undefined || now < slaAtRiskFrom(ticket) || now >= ticket.slaDeadline) continue;
      if (!(await stores.tickets.markSlaAtRisk(ticket.id, now))) continue;
      report.atRisk.push(ticket.id);
      const marked = { ...ticket, slaAtRiskAt: now };
      handoff.alertSupervisors(marked, 'sla_at_risk');
      await this.deps
        .warnCustomer?.(marked)
        .catch((err: unknown) =>
          this.deps.logger?.warn({ err, ticket: ticket.number }, 'could not tell the customer about the delay'),
        );
    }

    const offlineSince = now - this.deps.presenceGraceMs;
    for (const agent of await stores.presence.expiredAgents(offlineSince)) {
      const tickets = await stores.tickets.release(agent.id, OFFLINE_SWEEP_ACTOR, { offlineSince });
      if (tickets.length > 0) report.requeued.push({ agent: agent.id, tickets: tickets.map((t) => t.id) });
      await handoff.afterRequeue(agent.id, tickets);
    }

    for (const ticket of await stores.tickets.listQueue({ status: 'new', limit: BATCH })) {
      const assigned = await handoff.autoAssign(ticket);
      if (assigned) report.assigned.push(assigned.id);
    }
    return report;
  }

  /** Ticks every `intervalMs` (never two at once in this process); errors are logged, not thrown. */
  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick().finally(() => (this.running = undefined));
      this.running.catch((err: unknown) => this.deps.logger?.warn({ err }, 'handoff timer tick failed'));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the interval and waits for a tick in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
