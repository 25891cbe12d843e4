import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Routing } from '../content/model';
import type { Clock } from '../domain/clock';
import { appendTurns, type Conversation, type Turn } from '../domain/conversation';
import { AppError, isAppError } from '../domain/errors';
import type { Locale } from '../domain/locale';
import type { OutboundMessage } from '../domain/message';
import type { AttentionReason, Ticket, TicketActor, TicketStatus } from '../domain/ticket';
import type { Logger } from '../observability/logger';
import type { ClaimResult, Stores } from '../store/types';
import { afterResolved } from './reopen';
import { slaDeadline } from './sla';

/** How long a reply's id is remembered, so a retry of it is not stored twice. */
export const REPLY_RETRY_TTL_MS = 24 * 60 * 60_000;

/** A reply attempt's dedup key: the same id with a different text is a different reply. */
function replyRetryKey(ticketId: string, replyId: string, text: string): string {
  return `reply:${ticketId}:${replyId}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/** A console user acting on tickets (what the auth layer hands over after checking the session). */
export interface StaffMember {
  /** Username, e.g. `agent1`. */
  id: string;
  role: 'agent' | 'supervisor' | 'admin';
  /** Shown to the customer with each reply, e.g. "Sari". Defaults to the id. */
  displayName?: string;
  /** Teams whose queues the member works (`takeNext`, auto-assignment). */
  teams: readonly string[];
}

/** What the bot must do after a resolve: ask the one-tap CSAT question in the customer's language. */
export interface AfterResolve {
  action: 'ask_csat';
  conversationId: string;
  channel: string;
  senderId: string;
  locale: Locale;
  ticketNumber: string;
}

/**
 * Events for the live console, channel delivery and alerts. Listeners must not throw (they run
 * inside the service call that caused them).
 */
export interface HandoffEvents {
  /** Any change an agent's screen should show: claimed, assigned, status, transfer, note, requeued. */
  ticket_changed: [event: { ticket: Ticket; change: string; actor: TicketActor }];
  /** An agent replied: deliver `turn.text` to the customer on `ticket.channel`, as `turn.agent`. */
  agent_reply: [event: { ticket: Ticket; turn: Turn }];
  /** The first-response SLA passed without a reply (emitted once across all instances). */
  sla_breached: [event: { ticket: Ticket }];
  /** An offline agent's open tickets went back to their queues. */
  tickets_requeued: [event: { agent: string; tickets: Ticket[] }];
  /**
   * A customer was queued (or a ticket reopened) while nobody can answer soon: no agent of the
   * team online, or outside business hours. The customer was told when to expect a reply.
   */
  supervisor_alert: [event: { ticket: Ticket; reason: AttentionReason }];
}

export interface HandoffDeps {
  stores: Stores;
  clock: Clock;
  /** The live routing (team auto-assignment and capacity, reopen window). Read on every call. */
  routing: () => Routing;
  logger?: Logger;
  /**
   * Delivers an agent's reply to the customer on the channel they used (the composition root
   * wires the `ChannelRegistry`). Awaited by `reply`: a failed delivery fails the reply call.
   */
  deliver?: (to: { channel: string; senderId: string }, messages: OutboundMessage[]) => Promise<void>;
  /** Rejects when a reply cannot be delivered now (WhatsApp's closed window): checked before it is recorded. */
  assertCanDeliver?: (to: { channel: string; senderId: string }) => Promise<void>;
  /**
   * What the bot does once a ticket is resolved: the engine asks the CSAT question. Awaited by
   * `resolve`; a failure is logged, never undoes the resolve.
   */
  afterResolve?: (next: AfterResolve) => Promise<void>;
}

/** How many queued tickets `takeNext` tries before giving up (each may be taken by someone else meanwhile). */
const TAKE_NEXT_ATTEMPTS = 20;

export const AUTO_ASSIGN_ACTOR: TicketActor = { role: 'system', id: 'auto-assign' };
export const OFFLINE_SWEEP_ACTOR: TicketActor = { role: 'system', id: 'offline-sweep' };
export const DELIVERY_ACTOR: TicketActor = { role: 'system', id: 'delivery' };

/**
 * The agent side of a handoff: claim, take next, reply, note, transfer, status, resolve. Every
 * state change is one atomic store call (the store is the only record, so several instances can
 * serve one console); the conversation follows under its per-customer lock, so the bot stops
 * answering once a human owns it and resumes after the resolve. Delivery to channels, the live
 * stream and alerts hang off the events (`on('agent_reply', …)`).
 *
 * ```ts
 * const handoff = new HandoffService({ stores, clock, routing: () => brain().content.routing });
 * handoff.on('agent_reply', ({ ticket, turn }) => deliver(ticket.channel, ticket.senderId, turn));
 * const r = await handoff.claim(ticketId, { id: 'agent1', role: 'agent', teams: ['billing'] });
 * if (!r.ok) show(`taken by ${r.owner}`);
 * ```
 */
export class HandoffService extends EventEmitter<HandoffEvents> {
  constructor(private readonly deps: HandoffDeps) {
    super();
  }

  /** Claims a waiting ticket: exactly one of concurrent claims wins, the others learn the owner. */
  async claim(ticketId: string, member: StaffMember): Promise<ClaimResult> {
    const result = await this.deps.stores.tickets.claim(ticketId, member.id);
    if (result.ok) await this.taken(result.ticket, 'claimed', actorOf(member));
    return result;
  }

  /** Claims the first ticket in queue order of the member's teams; `null` when none is waiting. */
  async takeNext(member: StaffMember): Promise<Ticket | null> {
    for (let attempt = 0; attempt < TAKE_NEXT_ATTEMPTS; attempt++) {
      const queue = await this.queueOf(member.teams, 1);
      const next = queue[0];
      if (!next) return null;
      const result = await this.claim(next.id, member);
      if (result.ok) return result.ticket;
      // Someone else was faster: look again.
    }
    return null;
  }

  /**
   * Gives a waiting ticket to the least-loaded online agent of its team (within the team's
   * capacity) when the team has `auto_assign`. Returns the ticket when assigned, `null` when it
   * stays in the queue (team without auto-assignment, nobody online, everyone full).
   */
  async autoAssign(ticket: Pick<Ticket, 'id' | 'team'>): Promise<Ticket | null> {
    const team = this.deps.routing().teams[ticket.team];
    if (!team?.autoAssign) return null;
    const online = await this.deps.stores.presence.onlineAgents({ now: this.deps.clock.now(), team: ticket.team });
    if (online.length === 0) return null;
    const result = await this.deps.stores.tickets.autoAssign(
      ticket.id,
      online.map((a) => a.id),
      team.capacity,
    );
    if (!result.ok) return null;
    await this.taken(result.ticket, 'assigned', AUTO_ASSIGN_ACTOR);
    return result.ticket;
  }

  /**
   * An agent's reply: appended to the ticket (only by its owner; supervisors may reply on any
   * ticket) and to the conversation transcript, delivered to the customer as the agent (name
   * shown) through `deliver`, then announced to `agent_reply` listeners. The first reply meets
   * the first-response SLA. With `replyId` (the console sends one per composed message), a retry
   * of the same text after a failed delivery is delivered again without a second copy on record.
   */
  async reply(ticketId: string, member: StaffMember, text: string, options: { replyId?: string } = {}): Promise<Turn> {
    const turn: Turn = { at: this.deps.clock.now(), from: 'agent', text, agent: member.displayName ?? member.id };
    const { dedup, tickets } = this.deps.stores;
    if (this.deps.assertCanDeliver) {
      const target = await this.mustGet(ticketId);
      await this.deps.assertCanDeliver({ channel: target.channel, senderId: target.senderId });
    }
    // A retry of the same reply (same id and text, e.g. after the channel refused it) is delivered
    // again but not stored twice: the transcript keeps one copy of what the agent wrote.
    const retryKey = options.replyId ? replyRetryKey(ticketId, options.replyId, text) : undefined;
    const firstTry = retryKey ? await dedup.firstSeen(retryKey, REPLY_RETRY_TTL_MS) : true;
    if (firstTry) {
      try {
        await tickets.appendMessage(ticketId, turn, { requireOwner: member.role === 'agent' ? member.id : undefined });
      } catch (err) {
        if (retryKey) await dedup.forget(retryKey);
        throw err;
      }
    }
    const ticket = await this.mustGet(ticketId);
    if (!firstTry && member.role === 'agent' && ticket.assignee !== member.id) throw new AppError('TICKET_NOT_OWNER');
    if (firstTry) {
      await this.withConversation(ticket, (conv) => {
        conv.transcript = appendTurns(conv.transcript, turn);
      });
    }
    await this.deps.deliver?.({ channel: ticket.channel, senderId: ticket.senderId }, [
      { text, from: { kind: 'agent', name: turn.agent ?? member.id } },
    ]);
    this.emit('agent_reply', { ticket, turn });
    return turn;
  }

  /**
   * A message for the customer of this ticket did not reach them (the channel refused it even
   * after retries, or could not send it at all, like the rating question after WhatsApp's 24-hour
   * window): an internal note says what was lost, and the change is announced so the agent's
   * screen shows it. Never throws (it runs on the failure path of a send).
   */
  async deliveryFailed(ticketId: string, text: string): Promise<void> {
    try {
      await this.deps.stores.tickets.addNote(ticketId, { at: this.deps.clock.now(), author: DELIVERY_ACTOR.id, text });
      const ticket = await this.mustGet(ticketId);
      this.emit('ticket_changed', { ticket, change: 'delivery_failed', actor: DELIVERY_ACTOR });
    } catch (err) {
      this.deps.logger?.error({ code: isAppError(err) ? err.code : 'INTERNAL' }, 'undelivered message not recorded');
    }
  }

  /** An internal note: visible in the console, never sent to the customer. */
  async note(ticketId: string, member: StaffMember, text: string): Promise<Ticket> {
    await this.deps.stores.tickets.addNote(ticketId, { at: this.deps.clock.now(), author: member.id, text });
    const ticket = await this.mustGet(ticketId);
    this.emit('ticket_changed', { ticket, change: 'note', actor: actorOf(member) });
    return ticket;
  }

  /**
   * Transfers to another team (the ticket goes back to a queue, that team's; auto-assignment may
   * pick it up at once) or to another agent (who owns it from now on, capacity or not).
   */
  async transfer(
    ticketId: string,
    member: StaffMember,
    target: { team: string; agent?: undefined } | { agent: string; team?: string },
    note?: string,
  ): Promise<Ticket> {
    const actor = actorOf(member);
    if (target.agent !== undefined) {
      const ticket = await this.deps.stores.tickets.transition(ticketId, 'in_progress', actor, {
        assignTo: target.agent,
        team: target.team,
        note,
      });
      await this.taken(ticket, 'transferred', actor);
      return ticket;
    }
    if (!this.deps.routing().teams[target.team]) {
      throw new AppError('VALIDATION_FAILED', `Unknown team "${target.team}"`);
    }
    const ticket = await this.deps.stores.tickets.transition(ticketId, 'new', actor, { team: target.team, note });
    await this.requeued(ticket);
    this.emit('ticket_changed', { ticket, change: 'transferred', actor });
    return (await this.autoAssign(ticket)) ?? ticket;
  }

  /**
   * Sets a status other than `resolved` (use `resolve`, which also hands the conversation back
   * to the bot): `waiting_customer`, `in_progress`, `escalated`, or `new` (give the ticket back).
   */
  async setStatus(ticketId: string, member: StaffMember, status: Exclude<TicketStatus, 'resolved'>, note?: string) {
    const actor = actorOf(member);
    const ticket = await this.deps.stores.tickets.transition(ticketId, status, actor, { note });
    if (status === 'new' || status === 'escalated') await this.requeued(ticket);
    else await this.taken(ticket, status, actor, false);
    this.emit('ticket_changed', { ticket, change: status, actor });
    return ticket;
  }

  /**
   * Resolves the ticket and hands the conversation back to the bot, which then asks the CSAT
   * question (`afterResolve` with `next`; `next` is also returned). The conversation remembers the
   * ticket for the reopen window.
   */
  async resolve(ticketId: string, member: StaffMember, note?: string): Promise<{ ticket: Ticket; next: AfterResolve }> {
    const actor = actorOf(member);
    const ticket = await this.deps.stores.tickets.transition(ticketId, 'resolved', actor, { note });
    await this.withConversation(ticket, (conv) => {
      conv.state = 'bot';
      conv.ticketId = undefined;
      conv.resolvedTicket = {
        id: ticket.id,
        number: ticket.number,
        resolvedAt: ticket.resolvedAt ?? this.deps.clock.now(),
      };
      // A person on the business phone was answering too: resolving hands it all back to the bot.
      conv.humanTakeover = undefined;
    });
    await this.deps.stores.takeovers.remove(ticket.conversationId);
    this.emit('ticket_changed', { ticket, change: 'resolved', actor });
    const next: AfterResolve = {
      action: 'ask_csat',
      conversationId: ticket.conversationId,
      channel: ticket.channel,
      senderId: ticket.senderId,
      locale: ticket.locale,
      ticketNumber: ticket.number,
    };
    try {
      await this.deps.afterResolve?.(next);
    } catch (err) {
      const code = isAppError(err) ? err.code : 'INTERNAL';
      this.deps.logger?.warn({ code, ticket: ticket.number }, 'the CSAT question could not be sent');
      // A refused send was already noted by the channel's undelivered report; anything else (the
      // WhatsApp window closed, no template) is noted here, so the agent knows no rating will come.
      if (code !== 'CHANNEL_DELIVERY_FAILED') {
        await this.deliveryFailed(
          ticket.id,
          `The rating question (CSAT) was not sent (${code}): ${isAppError(err) ? err.message : 'unexpected error'}`,
        );
      }
    }
    return { ticket, next };
  }

  /**
   * For the engine, when a customer writes after a resolve: within the reopen window the ticket
   * goes back to its team's queue (`reopened`, and the caller queues the conversation again);
   * after it, `expired` (a fresh bot conversation). Call it under the conversation's lock.
   */
  async reopenIfRecent(conv: Conversation): Promise<{ outcome: 'reopened'; ticket: Ticket } | { outcome: 'expired' }> {
    const resolved = conv.resolvedTicket;
    const now = this.deps.clock.now();
    if (
      !resolved ||
      afterResolved({
        resolvedAt: resolved.resolvedAt,
        now,
        windowMinutes: this.deps.routing().reopenWindowMinutes,
      }) !== 'reopen'
    ) {
      return { outcome: 'expired' };
    }
    const actor: TicketActor = { role: 'customer', id: conv.id };
    const moved = await this.deps.stores.tickets.transition(resolved.id, 'new', actor, {
      note: 'reopened by the customer',
    });
    // A reopened ticket waits for a first response again: its clock starts now.
    const routing = this.deps.routing();
    const sla = routing.categories[moved.category]?.sla;
    const ticket = sla
      ? await this.deps.stores.tickets.restartSla(moved.id, slaDeadline(now, sla, routing.business.calendar))
      : moved;
    this.emit('ticket_changed', { ticket, change: 'reopened', actor });
    return { outcome: 'reopened', ticket };
  }

  /**
   * For the engine: the customer typed "batal" while waiting in the queue. The ticket is closed
   * by the customer (`new` / `escalated` → `resolved`, the machine's customer step) and the
   * console is told. Returns null, changing nothing, when the ticket can no longer be cancelled
   * (an agent took it meanwhile): the message is then an ordinary one for that agent.
   */
  async cancelByCustomer(ticketId: string, conv: Conversation): Promise<Ticket | null> {
    const actor: TicketActor = { role: 'customer', id: conv.id };
    let ticket: Ticket;
    try {
      ticket = await this.deps.stores.tickets.transition(ticketId, 'resolved', actor, {
        note: 'cancelled by the customer',
      });
    } catch (err) {
      if (isAppError(err) && err.code === 'TICKET_TRANSITION_INVALID') return null;
      throw err;
    }
    this.emit('ticket_changed', { ticket, change: 'cancelled', actor });
    return ticket;
  }

  /**
   * For the engine, after a customer message was appended to an open ticket: a ticket waiting
   * for the customer (`waiting_customer`) goes back to its agent (`in_progress`).
   */
  async customerReplied(ticketId: string, conv: Conversation): Promise<void> {
    const current = await this.deps.stores.tickets.get(ticketId);
    if (current?.status !== 'waiting_customer') return;
    const actor: TicketActor = { role: 'customer', id: conv.id };
    try {
      const ticket = await this.deps.stores.tickets.transition(ticketId, 'in_progress', actor, {
        note: 'the customer replied',
      });
      this.emit('ticket_changed', { ticket, change: 'customer_replied', actor });
    } catch (err) {
      // The agent changed the status in between: their step stands.
      if (!(isAppError(err) && err.code === 'TICKET_TRANSITION_INVALID')) throw err;
    }
  }

  /** For the engine: the customer's CSAT rating (1–5) of a resolved ticket. */
  async recordCsat(ticketId: string, score: number, conv: Conversation): Promise<void> {
    await this.deps.stores.tickets.recordCsat(ticketId, score, this.deps.clock.now());
    const ticket = await this.mustGet(ticketId);
    this.emit('ticket_changed', { ticket, change: 'csat', actor: { role: 'customer', id: conv.id } });
  }

  /** For the engine: nobody can answer this customer soon; supervisors should know. */
  alertSupervisors(ticket: Ticket, reason: AttentionReason): void {
    this.deps.logger?.warn({ ticket: ticket.number, team: ticket.team, reason }, 'supervisor alert');
    this.emit('supervisor_alert', { ticket, reason });
  }

  /** The console's heartbeat: the member is online in their teams for `ttlMs`. */
  async heartbeat(member: StaffMember, ttlMs: number): Promise<void> {
    await this.deps.stores.presence.heartbeat({ id: member.id, teams: member.teams }, this.deps.clock.now(), ttlMs);
  }

  /** Waiting tickets of some teams, in queue order. */
  async queueOf(teams: readonly string[], limit?: number): Promise<Ticket[]> {
    const lists = await Promise.all(teams.map((team) => this.deps.stores.tickets.listQueue({ team, limit })));
    const all = lists.flat();
    all.sort((x, y) => x.priority - y.priority || x.slaDeadline - y.slaDeadline || x.createdAt - y.createdAt);
    return limit === undefined ? all : all.slice(0, limit);
  }

  /** After an offline agent's tickets were requeued (the SLA watcher's sweep). */
  async afterRequeue(agent: string, tickets: Ticket[]): Promise<void> {
    for (const ticket of tickets) await this.requeued(ticket);
    if (tickets.length > 0) this.emit('tickets_requeued', { agent, tickets });
  }

  /** A human owns the ticket now: the conversation is `with_agent` (the bot stays silent). */
  private async taken(ticket: Ticket, change: string, actor: TicketActor, emit = true): Promise<void> {
    await this.withConversation(ticket, (conv) => {
      conv.state = 'with_agent';
    });
    if (emit) this.emit('ticket_changed', { ticket, change, actor });
  }

  /** The ticket waits in a queue again: the conversation is `queued` (still no bot answers). */
  private async requeued(ticket: Ticket): Promise<void> {
    await this.withConversation(ticket, (conv) => {
      conv.state = 'queued';
    });
  }

  /**
   * Updates the ticket's conversation under its per-customer lock, only while the conversation
   * still points at this ticket (a customer who started over keeps their new conversation).
   */
  private async withConversation(ticket: Ticket, mutate: (conv: Conversation) => void): Promise<void> {
    const { stores, clock } = this.deps;
    await stores.lock.run(ticket.conversationId, async () => {
      const conv = await stores.conversations.get(ticket.conversationId);
      if (!conv || conv.ticketId !== ticket.id) return;
      mutate(conv);
      conv.updatedAt = clock.now();
      await stores.conversations.save(conv);
    });
  }

  private async mustGet(id: string): Promise<Ticket> {
    const ticket = await this.deps.stores.tickets.get(id);
    if (!ticket) throw new AppError('NOT_FOUND', 'No such ticket');
    return ticket;
  }
}

function actorOf(member: StaffMember): TicketActor {
  return { role: member.role, id: member.id };
}
