import type { Api } from 'grammy';
import { can } from '../../auth/roles';
import type { Routing } from '../../content/model';
import type { AuditAction } from '../../domain/audit';
import type { Clock } from '../../domain/clock';
import type { Turn } from '../../domain/conversation';
import { isAppError } from '../../domain/errors';
import { isWaiting, type Ticket, type TicketActor } from '../../domain/ticket';
import { formatLocalTime } from '../../handoff/sla';
import type { HandoffService, StaffMember } from '../../handoff/service';
import { splitText } from '../../dialogue/render';
import type { Logger } from '../../observability/logger';
import type { DeskTopic, Stores } from '../../store/types';
import {
  classifyDeskUpdate,
  contextPacketText,
  customerPostText,
  deskNotice,
  topicName,
  type DeskAction,
  type DeskNotice,
} from './desk.codec';
import { TELEGRAM_CHANNEL, TELEGRAM_MAX_TEXT } from './telegram.codec';

export interface TelegramDeskDeps {
  /** The bot's Bot API client (the customer channel's, with its bounded retries). */
  api: Api;
  /** The agents' supergroup (forum topics on, the bot an admin with "manage topics"). */
  chatId: number;
  /** Telegram user id → console username (`TELEGRAM_AGENTS`). */
  agents: ReadonlyMap<number, string>;
  handoff: HandoffService;
  stores: Pick<Stores, 'deskTopics' | 'tickets' | 'users' | 'audit'>;
  /** Display names for "Diambil oleh Budi". */
  displayName: (username: string) => Promise<string>;
  /** The live routing (team names for `/transfer`, the business calendar for the SLA deadline). */
  routing: () => Routing;
  clock: Clock;
  logger: Logger;
}

/**
 * The Telegram agents' desk: each handoff gets a forum topic in the agents' supergroup, named
 * `<number> · <category> · <customer>`, opened by the context packet; the customer's later
 * messages are posted there; what happens to the ticket anywhere (console, auto-assignment, the
 * SLA watcher) is posted there; and mapped agents work the ticket from the topic: a plain
 * message is a reply to the customer (claiming the ticket first when nobody owns it), `/claim`,
 * `/note`, `/transfer <team>`, `/resolve` (which also closes the topic).
 *
 * It is a second face of the same `HandoffService`: every action here is the very call the console
 * makes, so statuses, ownership, SLA and live events are one and the same. Posts of one ticket
 * leave in order (a per-ticket chain in this process); a failed post is logged and never undoes
 * the ticket change that caused it. The topic ↔ ticket link lives in the store (`DeskTopicStore`),
 * so any instance can read an agent's message in any topic.
 */
export class TelegramDesk {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly background = new Set<Promise<unknown>>();
  /**
   * `<ticket>|<kind>|<member>` while an action from a topic is running: the service's events for
   * it are then not echoed back (the agent's own reply is already in the topic; a note gets a short
   * confirmation instead of its text repeated).
   */
  private readonly acting = new Set<string>();

  constructor(private readonly deps: TelegramDeskDeps) {
    const { handoff } = deps;
    handoff.on('ticket_changed', ({ ticket, change, actor }) => this.onChange(ticket, change, actor));
    handoff.on('agent_reply', ({ ticket, turn }) => {
      if (this.acting.has(`${ticket.id}|reply|${turn.agent ?? ''}`)) return;
      this.postLater(ticket.id, async () => ({ kind: 'console_reply', by: turn.agent ?? 'agent', text: turn.text }));
    });
    handoff.on('sla_breached', ({ ticket }) => this.postLater(ticket.id, async () => ({ kind: 'sla_breached' })));
    handoff.on('tickets_requeued', ({ tickets }) => {
      for (const ticket of tickets) this.postLater(ticket.id, async () => ({ kind: 'requeued' }));
    });
  }

  /** The agents' supergroup. */
  get chatId(): number {
    return this.deps.chatId;
  }

  /**
   * A new handoff: creates its topic, links it to the ticket in the store, and posts the context
   * packet. Runs on the ticket's chain, so news of the ticket queued meanwhile (an auto-assignment)
   * is posted after the packet. Never throws.
   */
  newHandoff(ticket: Ticket): Promise<void> {
    return this.enqueue(ticket.id, async () => {
      const { api, chatId, stores } = this.deps;
      const created = await api.createForumTopic(chatId, topicName(ticket));
      const topic = { chatId, threadId: created.message_thread_id };
      if (!(await stores.deskTopics.link(ticket.id, topic))) {
        // Another instance was first: keep its topic, remove ours.
        await api.deleteForumTopic(chatId, topic.threadId).catch(() => undefined);
        return;
      }
      // Read after the link: a claim made on another instance while the topic was being created
      // found no topic to post into, so the packet itself must say who has the ticket now. Changes
      // after the link are posted by whichever instance makes them.
      const fresh = (await stores.tickets.get(ticket.id)) ?? ticket;
      const calendar = this.deps.routing().business.calendar;
      const deadline = formatLocalTime(fresh.slaDeadline, calendar, 'id', this.deps.clock.now());
      const owner = fresh.assignee ? await this.deps.displayName(fresh.assignee) : undefined;
      await this.post(topic, contextPacketText(fresh, deadline, owner));
      // The photos and documents that came before the handoff (the packet only names them).
      for (const turn of fresh.messages) {
        if (turn.from === 'customer' && sendableFile(fresh, turn)) await this.postCustomerTurn(topic, fresh, turn);
      }
    });
  }

  /**
   * A customer's turn in the topic. A Telegram photo or document is sent again by its `file_id`
   * (the same bot may), so agents see it where they work, captioned with the customer's words;
   * anything else, or a file Telegram refuses, is posted as text.
   */
  private async postCustomerTurn(topic: DeskTopic, ticket: Ticket, turn: Turn): Promise<void> {
    const text = customerPostText(ticket, turn.text);
    const file = sendableFile(ticket, turn);
    if (file) {
      const options = {
        message_thread_id: topic.threadId,
        ...(text.length <= TELEGRAM_MAX_CAPTION ? { caption: text } : {}),
      };
      try {
        if (file.kind === 'photo') await this.deps.api.sendPhoto(topic.chatId, file.ref, options);
        else await this.deps.api.sendDocument(topic.chatId, file.ref, options);
        if (text.length > TELEGRAM_MAX_CAPTION) await this.post(topic, text);
        return;
      } catch (err) {
        this.warn(err, 'desk file not forwarded; posted as text');
      }
    }
    await this.post(topic, text);
  }

  /** A customer wrote to a ticket that has a topic: the message is posted there. Never throws. */
  customerMessage(ticketId: string, turn: Turn): void {
    this.track(
      this.enqueue(ticketId, async () => {
        const topic = await this.deps.stores.deskTopics.topicOf(ticketId);
        const ticket = topic ? await this.deps.stores.tickets.get(ticketId) : null;
        if (topic && ticket) await this.postCustomerTurn(topic, ticket, turn);
      }),
    );
  }

  /**
   * One update from the agents' supergroup (routed here by chat id before the customer codec).
   * Known refusals and failures are answered in the topic; it rejects only when the store is
   * unreachable before anything happened, so Telegram re-sends the update.
   */
  async accept(update: unknown): Promise<void> {
    const input = classifyDeskUpdate(update);
    if (input.kind === 'ignore') {
      this.deps.logger.debug({ reason: input.reason }, 'desk update ignored');
      return;
    }
    const ticketId = await this.deps.stores.deskTopics.ticketOf(input.topic);
    if (!ticketId || input.topic.chatId !== this.deps.chatId) return;
    const answer = (notice: DeskNotice) =>
      this.enqueue(ticketId, () => this.post(input.topic, deskNotice(notice), input.messageId));
    const teams = () => Object.keys(this.deps.routing().teams);
    if (input.action.type === 'help') return answer({ kind: 'help' });

    const username = this.deps.agents.get(input.from.id);
    if (!username) return answer({ kind: 'not_mapped', telegramId: input.from.id });
    const user = await this.deps.stores.users.get(username);
    if (!user || user.disabled || user.role === 'content_editor' || !can(user.role, 'tickets:work')) {
      return answer({ kind: 'not_allowed', username });
    }
    const member: StaffMember = {
      id: user.username,
      role: user.role,
      displayName: user.displayName,
      teams: user.teams,
    };

    switch (input.action.type) {
      case 'non_text':
        return answer({ kind: 'non_text' });
      case 'usage':
        return answer({ kind: 'usage', command: input.action.command, teams: teams() });
      case 'transfer':
        if (!this.deps.routing().teams[input.action.team]) {
          return answer({ kind: 'unknown_team', team: input.action.team, teams: teams() });
        }
    }
    try {
      const refusal = await this.act(ticketId, member, input.action);
      if (refusal) await answer(refusal);
    } catch (err) {
      // Already noted on the ticket, and posted here by the `delivery_failed` change.
      if (isAppError(err) && err.code === 'CHANNEL_DELIVERY_FAILED') return;
      const refusal = await this.refusalFor(err, ticketId, input.action.type === 'reply');
      if (refusal) return answer(refusal);
      this.deps.logger.error(
        { code: isAppError(err) ? err.code : 'INTERNAL', action: input.action.type },
        'desk action failed',
      );
      await answer({ kind: 'failed' });
    }
  }

  /** Runs one action as `member` through the handoff service; returns a refusal to post, if any. */
  private async act(ticketId: string, member: StaffMember, action: DeskAction): Promise<DeskNotice | undefined> {
    const { handoff, stores } = this.deps;
    switch (action.type) {
      case 'reply': {
        const ticket = await stores.tickets.get(ticketId);
        if (!ticket) return { kind: 'failed' };
        if (ticket.status === 'resolved') return { kind: 'cannot', status: ticket.status };
        if (isWaiting(ticket.status)) {
          const claimed = await handoff.claim(ticketId, member);
          if (!claimed.ok) return this.notOwner(claimed.owner, claimed.status, true);
          await this.audit(member, 'claim', ticketId);
        } else if (member.role === 'agent' && ticket.assignee !== member.id) {
          return this.notOwner(ticket.assignee ?? null, ticket.status, true);
        }
        await this.as(ticketId, 'reply', member.displayName ?? member.id, async () => {
          await handoff.reply(ticketId, member, action.text);
        });
        await this.audit(member, 'reply', ticketId);
        return undefined;
      }
      case 'claim': {
        const claimed = await handoff.claim(ticketId, member);
        if (!claimed.ok) return this.notOwner(claimed.owner, claimed.status);
        await this.audit(member, 'claim', ticketId);
        return undefined;
      }
      case 'note':
        await this.as(ticketId, 'note', member.id, () => handoff.note(ticketId, member, action.text));
        await this.audit(member, 'note', ticketId);
        return undefined;
      case 'transfer':
        await handoff.transfer(ticketId, member, { team: action.team });
        await this.audit(member, 'transfer', ticketId, { team: action.team });
        return undefined;
      case 'resolve':
        await handoff.resolve(ticketId, member, action.note);
        await this.audit(member, 'resolve', ticketId);
        return undefined;
      default:
        return { kind: 'help' };
    }
  }

  /** Who owns it (by display name), or why nobody can take it. */
  private async notOwner(owner: string | null, status: string, reply = false): Promise<DeskNotice> {
    return owner
      ? { kind: 'taken_by_other', owner: await this.deps.displayName(owner), reply }
      : { kind: 'cannot', status };
  }

  /** The refusal for an expected failure (someone else's ticket, a step the status forbids); else undefined. */
  private async refusalFor(err: unknown, ticketId: string, reply: boolean): Promise<DeskNotice | undefined> {
    if (!isAppError(err)) return undefined;
    const ticket = await this.deps.stores.tickets.get(ticketId).catch(() => null);
    switch (err.code) {
      case 'TICKET_NOT_OWNER':
      case 'TICKET_TAKEN':
        return this.notOwner(ticket?.assignee ?? null, ticket?.status ?? 'unknown', reply);
      case 'TICKET_TRANSITION_INVALID':
      case 'AGENT_AT_CAPACITY':
        return { kind: 'cannot', status: ticket?.status ?? 'unknown' };
      default:
        return undefined;
    }
  }

  /** Runs `fn` marked as this desk's own action, so its events are not echoed back into the topic. */
  private async as<T>(ticketId: string, kind: string, who: string, fn: () => Promise<T>): Promise<T> {
    const key = `${ticketId}|${kind}|${who}`;
    this.acting.add(key);
    try {
      return await fn();
    } finally {
      this.acting.delete(key);
    }
  }

  /** A ticket changed (here, in the console, by a timer): tell its topic. */
  private onChange(ticket: Ticket, change: string, actor: TicketActor): void {
    const name = () => (isStaff(actor) ? this.deps.displayName(actor.id) : Promise.resolve(actor.id));
    switch (change) {
      case 'claimed':
        return this.postLater(ticket.id, async () => ({ kind: 'claimed', by: await name() }));
      case 'assigned':
        return this.postLater(ticket.id, async () => ({
          kind: 'assigned',
          to: await this.deps.displayName(ticket.assignee ?? ''),
        }));
      case 'transferred':
        return this.postLater(ticket.id, async () =>
          ticket.status === 'new' || !ticket.assignee
            ? { kind: 'transferred_team', team: ticket.team, by: await name() }
            : { kind: 'transferred_agent', to: await this.deps.displayName(ticket.assignee), by: await name() },
        );
      case 'note': {
        const mine = this.acting.has(`${ticket.id}|note|${actor.id}`);
        const text = ticket.notes.at(-1)?.text;
        return this.postLater(ticket.id, async () => ({
          kind: 'note',
          by: await name(),
          text: mine ? undefined : text,
        }));
      }
      case 'resolved':
      case 'cancelled':
        return this.postLater(
          ticket.id,
          async () => (change === 'resolved' ? { kind: 'resolved', by: await name() } : { kind: 'cancelled' }),
          (topic) => this.deps.api.closeForumTopic(topic.chatId, topic.threadId).then(() => undefined),
        );
      case 'reopened':
        return this.postLater(
          ticket.id,
          async () => ({ kind: 'reopened' }),
          undefined,
          (topic) => this.deps.api.reopenForumTopic(topic.chatId, topic.threadId).then(() => undefined),
        );
      case 'csat':
        return ticket.csat
          ? this.postLater(ticket.id, async () => ({ kind: 'csat', score: ticket.csat!.score }))
          : undefined;
      case 'delivery_failed': {
        const text = ticket.notes.at(-1)?.text ?? '';
        return this.postLater(ticket.id, async () => ({ kind: 'delivery_failed', text }));
      }
      case 'waiting_customer':
      case 'in_progress':
      case 'escalated':
      case 'new':
        return this.postLater(ticket.id, async () => ({ kind: 'status', status: change, by: await name() }));
      default:
        // `customer_replied` (the message itself is posted), anything new: nothing to say.
        return undefined;
    }
  }

  /**
   * Posts a notice into the ticket's topic (if it has one) on the ticket's chain; `before` and
   * `after` run around the post (reopen the topic first, close it afterwards).
   */
  private postLater(
    ticketId: string,
    notice: () => Promise<DeskNotice>,
    after?: (topic: DeskTopic) => Promise<void>,
    before?: (topic: DeskTopic) => Promise<void>,
  ): void {
    this.track(
      this.enqueue(ticketId, async () => {
        const topic = await this.deps.stores.deskTopics.topicOf(ticketId);
        if (!topic) return;
        await before?.(topic).catch((err: unknown) => this.warn(err, 'desk topic not reopened'));
        await this.post(topic, deskNotice(await notice()));
        await after?.(topic).catch((err: unknown) => this.warn(err, 'desk topic not closed'));
      }),
    );
  }

  /** Sends plain text (no parse_mode) into the topic, split at Telegram's limit. */
  private async post(topic: DeskTopic, text: string, replyTo?: number): Promise<void> {
    const parts = splitText(text, TELEGRAM_MAX_TEXT);
    for (const [i, part] of parts.entries()) {
      await this.deps.api.sendMessage(topic.chatId, part, {
        message_thread_id: topic.threadId,
        ...(replyTo !== undefined && i === 0
          ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
          : {}),
      });
    }
  }

  private async audit(member: StaffMember, action: AuditAction, ticketId: string, detail: Record<string, string> = {}) {
    try {
      await this.deps.stores.audit.append({
        at: this.deps.clock.now(),
        actor: { username: member.id, role: member.role },
        action,
        ticketId,
        detail: { ...detail, via: 'telegram' },
      });
    } catch (err) {
      this.warn(err, 'audit entry not written');
    }
  }

  /** Runs `fn` after everything queued for the ticket; failures are logged, never thrown. */
  private enqueue(ticketId: string, fn: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(ticketId) ?? Promise.resolve();
    const next = previous.then(fn).catch((err: unknown) => this.warn(err, 'desk post failed'));
    this.chains.set(ticketId, next);
    void next.then(() => {
      if (this.chains.get(ticketId) === next) this.chains.delete(ticketId);
    });
    return next;
  }

  private track(promise: Promise<unknown>): void {
    this.background.add(promise);
    void promise.finally(() => this.background.delete(promise));
  }

  private warn(err: unknown, message: string): void {
    const e = err as { error_code?: number; description?: string; code?: string; name?: string };
    this.deps.logger.warn(
      { reason: e.error_code ? `${e.error_code}: ${e.description ?? ''}` : (e.code ?? e.name ?? 'error') },
      message,
    );
  }

  /** Waits (boundedly) for posts in flight. */
  async stop(timeoutMs = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.background, ...this.chains.values()]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}

function isStaff(actor: TicketActor): boolean {
  return actor.role === 'agent' || actor.role === 'supervisor' || actor.role === 'admin';
}

/** Telegram's longest caption of a photo or document. */
const TELEGRAM_MAX_CAPTION = 1024;

/** The turn's file, when the desk can send it again: a Telegram customer's photo or document. */
function sendableFile(ticket: Ticket, turn: Turn): { kind: 'photo' | 'document'; ref: string } | undefined {
  const a = turn.attachment;
  if (ticket.channel !== TELEGRAM_CHANNEL || !a?.ref || (a.kind !== 'photo' && a.kind !== 'document')) return undefined;
  return { kind: a.kind, ref: a.ref };
}
