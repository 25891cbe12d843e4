import type { ChannelCapabilities, CustomerSender } from '../channels/types';
import type { CategoryRoute, Content } from '../content/model';
import { type Clock, type Rng } from '../domain/clock';
import {
  appendTurns,
  conversationId,
  newConversation,
  RECENT_MESSAGE_IDS_LIMIT,
  type Conversation,
  type HumanTakeoverMark,
  type PendingClarification,
  type Turn,
} from '../domain/conversation';
import { AppError, isAppError } from '../domain/errors';
import type { Locale } from '../domain/locale';
import { describeAttachment, type InboundMessage, type OutboundMessage } from '../domain/message';
import type { AttentionReason, ContextPacket, Ticket } from '../domain/ticket';
import { isCancelRequest } from '../dialogue/cancel';
import { buildClarification, resolveChoice } from '../dialogue/clarify';
import { buildCsatQuestion, parseRating } from '../dialogue/csat';
import { decide } from '../dialogue/policy';
import { baseVars, renderTemplate } from '../dialogue/render';
import type { Decision } from '../dialogue/types';
import { extractFields, formatFieldList, isDecline } from '../dialogue/verification';
import { replyExpectation, type ReplyExpectation } from '../handoff/availability';
import { afterResolved } from '../handoff/reopen';
import type { AfterResolve } from '../handoff/service';
import { formatLocalTime, formatSla, slaDeadline } from '../handoff/sla';
import type { NluResult } from '../nlu/types';
import type { Logger } from '../observability/logger';
import { pseudonym } from '../observability/logger';
import type { ConversationEdit, Stores } from '../store/types';
import type { Brain } from './brain';
import type { EngineOutcome } from './outcome';

/** A channel as the engine sees it: a name (part of the conversation id) and what it renders. */
export interface ChannelInfo {
  name: string;
  capabilities: ChannelCapabilities;
}

export interface EngineDeps {
  stores: Stores;
  /** The live content + model; read once per message so a hot reload never splits a message. */
  brain: () => Brain;
  clock: Clock;
  rng: Rng;
  logger: Logger;
  /** Longer texts are rejected before any state changes. */
  maxMessageChars: number;
  /** Called after a ticket is queued (live notifications, metrics). Must not throw. */
  onTicketCreated?: (ticket: Ticket) => void;
  /** Called when a customer message is appended to an open ticket. Must not throw. */
  onTicketMessage?: (ticketId: string, turn: Turn) => void;
  /** Called after a customer message reopened a resolved ticket (auto-assignment). Must not throw. */
  onTicketReopened?: (ticket: Ticket) => void;
  /** The ticket steps the customer's messages cause (`HandoffService` implements it). */
  handoff: HandoffPort;
  /** Delivers what the bot sends outside a reply (the CSAT question) on the customer's channel. */
  sender?: CustomerSender;
}

/**
 * The ticket steps a customer's message can cause, as the engine needs them (`HandoffService`
 * implements this; each step is atomic in the store and announced to the console).
 */
export interface HandoffPort {
  /** Within the reopen window: the resolved ticket back to its team's queue; else `expired`. */
  reopenIfRecent(conv: Conversation): Promise<{ outcome: 'reopened'; ticket: Ticket } | { outcome: 'expired' }>;
  /** "batal" while queued: the ticket is closed by the customer, or null when an agent took it meanwhile. */
  cancelByCustomer(ticketId: string, conv: Conversation): Promise<Ticket | null>;
  /** A customer message on an open ticket: `waiting_customer` goes back to `in_progress`. */
  customerReplied(ticketId: string, conv: Conversation): Promise<void>;
  recordCsat(ticketId: string, score: number, conv: Conversation): Promise<void>;
  alertSupervisors(ticket: Ticket, reason: AttentionReason): void;
}

/** How long after the CSAT question a bare "1"…"5" still counts as the rating. */
export const CSAT_ANSWER_WINDOW_MS = 24 * 60 * 60_000;

/** How a takeover's turns are signed in the transcript. */
export const HUMAN_TAKEOVER_AGENT: Record<HumanTakeoverMark['by'], string> = { phone: 'Business phone' };

/** How many ranking entries the conversation and the context packet keep. */
const RANKING_KEPT = 5;

/**
 * The per-message pipeline: lock the conversation (FIFO across instances) ► skip re-deliveries ►
 * relay to the ticket when a human owns the conversation ► understand ► decide ► reply ► save.
 * All decisions are made by pure modules (`nlu`, `dialogue`, `handoff/sla`); this class only
 * sequences them and persists the result.
 */
export class Engine {
  constructor(private readonly deps: EngineDeps) {}

  /** Handles one customer message and returns what happened (including the replies to send). */
  async handle(inbound: InboundMessage, channel: ChannelInfo): Promise<EngineOutcome> {
    if (inbound.text.length > this.deps.maxMessageChars) {
      throw new AppError('PAYLOAD_TOO_LARGE', `Message longer than ${this.deps.maxMessageChars} characters`);
    }
    const id = conversationId(channel.name, inbound.senderId);
    // The conversation's lock with its read and save folded in (2 Redis commands rather than 4).
    return this.deps.stores.conversations.withLock(id, (edit) => this.handleLocked(inbound, channel, id, edit));
  }

  /**
   * The reply to a button from a question that is no longer open (`handle` rejected it with
   * `UNKNOWN_CHOICE`): a short "that option has expired, please type your question" in the
   * conversation's language (`choice_expired`). Push channels, whose old buttons stay pressable in
   * the chat history, send it so the press is not met with silence; nothing is stored, so a
   * replayed or forged press changes nothing.
   */
  async choiceExpired(inbound: InboundMessage, channel: ChannelInfo): Promise<OutboundMessage[]> {
    const brain = this.deps.brain();
    const stored = await this.deps.stores.conversations.get(conversationId(channel.name, inbound.senderId));
    const conv =
      stored ??
      newConversation(channel.name, inbound.senderId, inbound.locale ?? inbound.localeHint ?? 'id', this.deps.clock.now());
    const text = renderTemplate(brain.content, 'choice_expired', this.renderOptions(brain.content, conv, channel));
    return [{ text, from: { kind: 'bot' } }];
  }

  private async handleLocked(
    inbound: InboundMessage,
    channel: ChannelInfo,
    id: string,
    edit: ConversationEdit,
  ): Promise<EngineOutcome> {
    const { clock } = this.deps;
    const brain = this.deps.brain();
    const now = clock.now();
    const stored = edit.stored;

    if (stored && inbound.messageId && stored.recentMessageIds.includes(inbound.messageId)) {
      return { ...emptyOutcome(stored), duplicate: true };
    }

    const conv: Conversation = stored ?? newConversation(channel.name, inbound.senderId, inbound.locale ?? 'id', now);
    if (inbound.customerName) conv.customerName = inbound.customerName;
    const customerTurn: Turn = { at: now, from: 'customer', text: turnText(inbound) };
    // A file the channel can fetch later rides on the turn: the ticket keeps it for the agents.
    if (inbound.attachment?.ref) customerTurn.attachment = inbound.attachment;

    let result: Step;
    const rating = this.pendingRating(conv, inbound, now);
    if (conv.state === 'queued' || conv.state === 'with_agent') {
      result = await this.relay(conv, brain.content, channel, customerTurn, inbound.command === 'cancel');
    } else if (conv.humanTakeover) {
      // A person answers on the business phone: recorded for the console, the bot stays silent.
      customerTurn.meta = { action: 'relay', rule: `takeover:${conv.humanTakeover.by}` };
      conv.transcript = appendTurns(conv.transcript, customerTurn);
      result = { outcome: { ...emptyOutcome(conv), action: 'relay', rule: customerTurn.meta.rule } };
    } else if (inbound.command) {
      conv.pendingCsat = undefined;
      if (inbound.localeHint && (inbound.command === 'start' || stored === null)) conv.locale = inbound.localeHint;
      result = await this.command(conv, brain.content, channel, inbound, customerTurn);
    } else if (rating !== undefined) {
      result = await this.rate(conv, brain.content, channel, customerTurn, rating);
    } else if (inbound.attachment && !inbound.text.trim()) {
      // A voice note or a sticker says nothing the bot can read; a pending CSAT question stays open.
      if (inbound.localeHint && stored === null) conv.locale = inbound.localeHint;
      customerTurn.meta = { action: 'answer', rule: 'non_text:ask_to_type' };
      conv.transcript = appendTurns(conv.transcript, customerTurn);
      const text = renderTemplate(brain.content, 'non_text_prompt', this.renderOptions(brain.content, conv, channel));
      result = this.reply(conv, [{ text }], { action: 'answer', rule: 'non_text:ask_to_type' }, null);
    } else {
      // Anything but the rating is an ordinary message; the question is not asked again.
      conv.pendingCsat = undefined;
      const nlu = brain.nlu.parse(inbound.text, inbound.locale);
      conv.locale = chooseLocale(inbound, conv, nlu, stored !== null);
      if (conv.state === 'verifying') {
        result = await this.continueVerification(conv, brain.content, channel, customerTurn, nlu);
      } else {
        result = await this.understand(conv, brain.content, channel, inbound, customerTurn, nlu);
      }
    }

    if (inbound.messageId) {
      conv.recentMessageIds = [...conv.recentMessageIds, inbound.messageId].slice(-RECENT_MESSAGE_IDS_LIMIT);
    }
    conv.updatedAt = now;
    // Saving lets the lock go: the next message of this conversation may start while we log.
    const saved = await edit.saveAndRelease(conv);
    this.deps.logger.info(
      {
        conversation: pseudonym(id),
        channel: channel.name,
        action: result.outcome.action,
        intent: result.outcome.intent,
        rule: result.outcome.rule,
        state: saved.state,
        ticket: result.outcome.ticketNumber,
      },
      'message handled',
    );
    return { ...result.outcome, state: saved.state, conversationId: id };
  }

  /**
   * A human owns the conversation (or it waits in the queue): the message goes to the ticket and
   * the bot stays silent; a ticket waiting for the customer goes back to its agent. One exception:
   * "batal" (or the `/cancel` command) while still queued cancels the ticket and the bot is back.
   * Commands and non-text content are relayed too (as "/help", "[voice]"): the agent decides.
   */
  private async relay(
    conv: Conversation,
    content: Content,
    channel: ChannelInfo,
    turn: Turn,
    cancelCommand = false,
  ): Promise<Step> {
    conv.transcript = appendTurns(conv.transcript, turn);
    const ticketId = conv.ticketId;
    if (!ticketId) return { outcome: { ...emptyOutcome(conv), action: 'relay' } };
    await this.deps.stores.tickets.appendMessage(ticketId, turn);
    this.deps.onTicketMessage?.(ticketId, turn);
    if (conv.state === 'queued' && (cancelCommand || isCancelRequest(turn.text))) {
      const cancelled = await this.deps.handoff.cancelByCustomer(ticketId, conv);
      if (cancelled) {
        turn.meta = { action: 'cancel', rule: 'cancel:customer' };
        conv.state = 'bot';
        conv.ticketId = undefined;
        const text = renderTemplate(content, 'handoff_cancelled', {
          ...this.renderOptions(content, conv, channel),
          vars: { ...baseVars(content, conv.locale, conv.customerName), ticket_number: cancelled.number },
        });
        const step = this.reply(conv, [{ text }], { action: 'cancel', rule: 'cancel:customer' }, null);
        step.outcome.ticketId = cancelled.id;
        step.outcome.ticketNumber = cancelled.number;
        return step;
      }
    }
    await this.deps.handoff.customerReplied(ticketId, conv);
    return {
      outcome: { ...emptyOutcome(conv), action: 'relay', ticketId },
    };
  }

  /**
   * A bot command while the bot serves the customer (queued / with an agent, `relay` handles it):
   * - `start`: a fresh start; any open question is dropped; `welcome` in the app's language;
   * - `help`: what the bot can do (`help`); nothing else changes;
   * - `agent`: a person, always (the human category; a recently resolved ticket is reopened);
   * - `cancel`: the open clarification or identity question is dropped (`command_cancelled`).
   */
  private async command(
    conv: Conversation,
    content: Content,
    channel: ChannelInfo,
    inbound: InboundMessage,
    turn: Turn,
  ): Promise<Step> {
    const command = inbound.command!;
    const rule = `command:${command}`;
    if (command === 'agent') {
      const decision: Extract<Decision, { action: 'handoff' }> = {
        action: 'handoff',
        category: content.routing.humanCategory,
        intent: null,
        rule: 'handoff:command',
        reason: 'asked for a person with /agent',
      };
      const reopened = await this.reopenOnProblem(conv, content, channel, decision, turn);
      if (reopened) return reopened;
      // What the customer wrote before the command tells the agent more than "/agent".
      const before = [...conv.transcript].reverse().find((t) => t.from === 'customer' && !t.text.startsWith('/'));
      const originalText = conv.verification?.originalText ?? conv.clarification?.originalText ?? before?.text;
      turn.meta = { action: 'handoff', rule: decision.rule };
      conv.transcript = appendTurns(conv.transcript, turn);
      conv.clarification = undefined;
      conv.verification = undefined;
      conv.state = 'bot';
      const route = routeFor(content, decision.category);
      return this.queueTicket(conv, content, channel, route, {
        category: route.id,
        intent: null,
        confidence: null,
        ranking: [],
        rule: decision.rule,
        originalText: originalText ?? turn.text,
      });
    }
    turn.meta = { action: 'answer', rule };
    conv.transcript = appendTurns(conv.transcript, turn);
    if (command !== 'help') {
      conv.clarification = undefined;
      conv.verification = undefined;
      conv.state = 'bot';
    }
    const template = command === 'start' ? 'welcome' : command === 'help' ? 'help' : 'command_cancelled';
    const text = renderTemplate(content, template, this.renderOptions(content, conv, channel));
    return this.reply(conv, [{ text }], { action: 'answer', rule }, null);
  }

  /** The rating the message gives, when the conversation waits for one (else undefined). */
  private pendingRating(conv: Conversation, inbound: InboundMessage, now: number): number | undefined {
    const pending = conv.pendingCsat;
    if (!pending || conv.state !== 'bot' || now - pending.askedAt > CSAT_ANSWER_WINDOW_MS) return undefined;
    return parseRating(inbound.text, inbound.choice);
  }

  /** Records the rating on the resolved ticket and thanks the customer. Never reopens the ticket. */
  private async rate(
    conv: Conversation,
    content: Content,
    channel: ChannelInfo,
    turn: Turn,
    score: number,
  ): Promise<Step> {
    const pending = conv.pendingCsat!;
    await this.deps.handoff.recordCsat(pending.ticketId, score, conv);
    conv.pendingCsat = undefined;
    turn.meta = { action: 'csat', rule: 'csat:rating' };
    conv.transcript = appendTurns(conv.transcript, turn);
    const text = renderTemplate(
      content,
      score >= 4 ? 'csat_thanks' : 'csat_thanks_low',
      this.renderOptions(content, conv, channel),
    );
    const step = this.reply(conv, [{ text }], { action: 'csat', rule: 'csat:rating' }, null);
    step.outcome.ticketId = pending.ticketId;
    step.outcome.ticketNumber = pending.ticketNumber;
    return step;
  }

  /**
   * A person answered this customer outside the console (`by: 'phone'`: typed on the business
   * phone): their text joins the transcript as an agent turn and the bot pauses in this
   * conversation (`humanTakeover`, listed in `stores.takeovers`) until `handBack`. Channel-neutral:
   * any channel that can see such messages calls it. An open ticket gets the turn too.
   */
  async humanReplied(
    channelName: string,
    senderId: string,
    text: string,
    by: HumanTakeoverMark['by'] = 'phone',
  ): Promise<void> {
    const { stores, clock } = this.deps;
    const id = conversationId(channelName, senderId);
    await stores.lock.run(id, async () => {
      const now = clock.now();
      const conv = (await stores.conversations.get(id)) ?? newConversation(channelName, senderId, 'id', now);
      const turn: Turn = { at: now, from: 'agent', agent: HUMAN_TAKEOVER_AGENT[by], text };
      conv.transcript = appendTurns(conv.transcript, turn);
      conv.humanTakeover ??= { by, since: now };
      // The bot's open question is moot once a person answered.
      conv.clarification = undefined;
      conv.pendingCsat = undefined;
      conv.updatedAt = now;
      await stores.conversations.save(conv);
      await stores.takeovers.add({ conversationId: id, since: conv.humanTakeover.since });
      if (conv.ticketId) await stores.tickets.appendMessage(conv.ticketId, turn);
    });
    this.deps.logger.info({ conversation: pseudonym(id), by }, 'conversation taken over outside the console');
  }

  /**
   * The bot answers this conversation again (the console's "hand back"; resolving a ticket of the
   * conversation does the same in `HandoffService.resolve`).
   * False when it was not paused (nothing changed).
   */
  async handBack(id: string): Promise<boolean> {
    const { stores, clock } = this.deps;
    const changed = await stores.lock.run(id, async () => {
      const conv = await stores.conversations.get(id);
      if (!conv?.humanTakeover) return false;
      const now = clock.now();
      conv.humanTakeover = undefined;
      conv.transcript = appendTurns(conv.transcript, { at: now, from: 'system', text: 'Handed back to the bot' });
      conv.updatedAt = now;
      await stores.conversations.save(conv);
      return true;
    });
    await stores.takeovers.remove(id);
    if (changed) this.deps.logger.info({ conversation: pseudonym(id) }, 'conversation handed back to the bot');
    return changed;
  }

  /**
   * After an agent resolved a ticket (`HandoffService` → `afterResolve`): asks the one-tap CSAT
   * question in the customer's language, through the customer's channel (the outbox for REST),
   * and lets the conversation wait for the rating. Does nothing when the customer has moved on
   * (the conversation no longer points at that resolved ticket) or the channel has no sender.
   * Rejects, before the conversation waits for a rating, when the channel refuses to send now
   * (WhatsApp's closed 24-hour window without a template): the caller tells the agent.
   */
  async askCsat(next: AfterResolve): Promise<void> {
    const { stores, clock, sender } = this.deps;
    const capabilities = sender?.capabilities(next.channel);
    if (!sender || !capabilities) {
      this.deps.logger.warn({ channel: next.channel, ticket: next.ticketNumber }, 'no sender for the CSAT question');
      return;
    }
    await sender.assertCanSend?.(next.channel, next.senderId);
    const content = this.deps.brain().content;
    const channel: ChannelInfo = { name: next.channel, capabilities };
    let message: OutboundMessage | undefined;
    await stores.lock.run(next.conversationId, async () => {
      const conv = await stores.conversations.get(next.conversationId);
      const resolved = conv?.resolvedTicket;
      if (!conv || conv.state !== 'bot' || resolved?.number !== next.ticketNumber) return;
      const now = clock.now();
      message = buildCsatQuestion({
        content,
        locale: conv.locale,
        channel: channel.name,
        capabilities,
        rng: this.deps.rng,
        vars: { ...baseVars(content, conv.locale, conv.customerName), ticket_number: resolved.number },
      });
      conv.pendingCsat = { ticketId: resolved.id, ticketNumber: resolved.number, askedAt: now };
      conv.transcript = appendTurns(conv.transcript, { at: now, from: 'bot', text: renderForTranscript(message) });
      conv.updatedAt = now;
      await stores.conversations.save(conv);
    });
    if (message) await sender.send(next.channel, next.senderId, [{ ...message, from: { kind: 'bot' } }]);
  }

  /**
   * The SLA watcher found this ticket's first response at risk (`handoff/sla.ts`): tells the
   * customer, in their language and through their channel, that the team is busy and by when they
   * will hear back (the deadline, in the business's time zone). Only while the customer is still
   * waiting on this very ticket; the notice is kept in the transcript so agents see it.
   */
  async warnSlaAtRisk(ticket: Ticket): Promise<void> {
    const { stores, clock, sender } = this.deps;
    const capabilities = sender?.capabilities(ticket.channel);
    if (!sender || !capabilities) return;
    const content = this.deps.brain().content;
    let message: OutboundMessage | undefined;
    await stores.lock.run(ticket.conversationId, async () => {
      const conv = await stores.conversations.get(ticket.conversationId);
      if (!conv || conv.ticketId !== ticket.id || (conv.state !== 'queued' && conv.state !== 'with_agent')) return;
      const now = clock.now();
      const channel: ChannelInfo = { name: ticket.channel, capabilities };
      message = {
        text: renderTemplate(content, 'sla_delay', {
          ...this.renderOptions(content, conv, channel),
          vars: {
            ...baseVars(content, conv.locale, conv.customerName),
            team: content.routing.teams[ticket.team]?.name[conv.locale] ?? ticket.team,
            ticket_number: ticket.number,
            reply_by: formatLocalTime(ticket.slaDeadline, content.routing.business.calendar, conv.locale, now),
          },
        }),
      };
      const told: Turn = { at: now, from: 'bot', text: message.text };
      conv.transcript = appendTurns(conv.transcript, told);
      conv.updatedAt = now;
      await stores.conversations.save(conv);
      await stores.tickets.appendMessage(ticket.id, told);
    });
    if (message) await sender.send(ticket.channel, ticket.senderId, [{ ...message, from: { kind: 'bot' } }]);
  }

  /** Classifies, asks the policy, and carries out its decision. */
  private async understand(
    conv: Conversation,
    content: Content,
    channel: ChannelInfo,
    inbound: InboundMessage,
    turn: Turn,
    nlu: NluResult,
  ): Promise<Step> {
    const pending = conv.state === 'clarifying' ? conv.clarification : undefined;
    let chosen: { intent: string | null } | undefined;
    if (pending) {
      chosen = resolveChoice(pending, inbound.choice, inbound.text);
    }
    if (inbound.choice && !chosen) {
      // A button from an old question, or a forged id: refuse without changing anything.
      if (!inbound.text.trim()) throw new AppError('UNKNOWN_CHOICE');
    }
    const decision = decide({ nlu, content, pending, chosen });
    const reopened = await this.reopenOnProblem(conv, content, channel, decision, turn);
    if (reopened) return reopened;
    const top = nlu.ranking[0];
    const chosenIntent = chosen?.intent ?? null;
    const intent = decision.action === 'clarify' ? null : decision.intent;
    const confidence = chosen ? null : (top?.confidence ?? null);
    turn.meta = {
      intent: intent ?? top?.intent,
      confidence: confidence ?? undefined,
      action: decision.action,
      rule: decision.rule,
    };
    conv.transcript = appendTurns(conv.transcript, turn);
    const originalText = pending?.originalText ?? inbound.text;
    const ranking = (pending?.ranking ?? nlu.ranking).slice(0, RANKING_KEPT);
    const clarificationRecord = pending
      ? {
          question: pending.question ?? '',
          options: pending.options.map((o) => o.choice.label),
          answer: inbound.text || (pending.options.find((o) => o.intent === chosenIntent)?.choice.label ?? ''),
        }
      : undefined;

    conv.clarification = undefined;
    switch (decision.action) {
      case 'answer': {
        conv.state = 'bot';
        const text = renderTemplate(content, decision.template, this.renderOptions(content, conv, channel));
        return this.reply(conv, [{ text }], decision, confidence);
      }
      case 'clarify': {
        const built = buildClarification({
          candidates: decision.candidates,
          content,
          locale: conv.locale,
          capabilities: channel.capabilities,
          channel: channel.name,
          rng: this.deps.rng,
          vars: baseVars(content, conv.locale, conv.customerName),
        });
        const clarification: PendingClarification = {
          ...built.pending,
          originalText: inbound.text,
          question: built.message.text,
          ranking: nlu.ranking.slice(0, RANKING_KEPT),
          askedAt: this.deps.clock.now(),
        };
        conv.state = 'clarifying';
        conv.clarification = clarification;
        return this.reply(conv, [built.message], decision, confidence);
      }
      case 'handoff':
        return this.startHandoff(conv, content, channel, decision, {
          intent: decision.intent,
          confidence,
          ranking,
          originalText,
          clarification: clarificationRecord,
        });
    }
  }

  /**
   * A message soon after an agent resolved the customer's ticket. Within the routing's reopen
   * window, a message the bot would not simply answer (a problem to hand off, or something unclear:
   * most likely "masih belum bisa, kak") reopens the ticket to the same team instead of starting a
   * new one; FAQs, thanks and greetings are answered by the bot and keep the window open; an
   * emergency gets its own (queue-jumping) ticket. After the window the conversation is a fresh
   * one with the bot. Returns the step when the ticket was reopened, else null.
   */
  private async reopenOnProblem(
    conv: Conversation,
    content: Content,
    channel: ChannelInfo,
    decision: Decision,
    turn: Turn,
  ): Promise<Step | null> {
    const resolved = conv.resolvedTicket;
    if (!resolved || conv.state !== 'bot') return null;
    const now = this.deps.clock.now();
    const windowMinutes = content.routing.reopenWindowMinutes;
    if (afterResolved({ resolvedAt: resolved.resolvedAt, now, windowMinutes }) !== 'reopen') {
      conv.resolvedTicket = undefined;
      return null;
    }
    if (decision.action === 'answer') return null;
    const { stores, handoff } = this.deps;
    const previous = await stores.tickets.get(resolved.id);
    if (!previous) {
      conv.resolvedTicket = undefined;
      return null;
    }
    // An emergency (priority 0) jumps the queue on its own ticket rather than joining the old one.
    if (decision.action === 'handoff' && routeFor(content, decision.category).priority === 0 && previous.priority > 0) {
      return null;
    }
    let reopened;
    try {
      reopened = await handoff.reopenIfRecent(conv);
    } catch (err) {
      // Someone (a supervisor) reopened or changed it already: this message starts over.
      if (!(isAppError(err) && err.code === 'TICKET_TRANSITION_INVALID')) throw err;
      reopened = { outcome: 'expired' as const };
    }
    conv.resolvedTicket = undefined;
    if (reopened.outcome !== 'reopened') return null;
    const ticket = reopened.ticket;
    turn.meta = { action: 'handoff', rule: 'handoff:reopened' };
    conv.transcript = appendTurns(conv.transcript, turn);
    await stores.tickets.appendMessage(ticket.id, turn);
    this.deps.onTicketMessage?.(ticket.id, turn);
    conv.state = 'queued';
    conv.ticketId = ticket.id;
    conv.clarification = undefined;
    const route = routeFor(content, ticket.category);
    const team = content.routing.teams[ticket.team];
    let text = renderTemplate(content, 'ticket_reopened', {
      ...this.renderOptions(content, conv, channel),
      vars: {
        ...baseVars(content, conv.locale, conv.customerName),
        team: team?.name[conv.locale] ?? ticket.team,
        team_where: team?.where[conv.locale] ?? '',
        ticket_number: ticket.number,
      },
    });
    const deadline = slaDeadline(now, route.sla, content.routing.business.calendar);
    const expectation = await this.expectation(now, route, ticket.team, deadline, content);
    if (expectation.kind !== 'normal') {
      text += `\n\n${this.noticeText(content, conv, channel, ticket, expectation)}`;
      await stores.tickets.addNote(ticket.id, {
        at: now,
        author: 'system',
        text: noticeNote(expectation.kind),
      });
      handoff.alertSupervisors(ticket, expectation.kind);
    }
    this.deps.onTicketReopened?.(ticket);
    const step = this.reply(
      conv,
      [{ text }],
      { action: 'handoff', category: ticket.category, intent: ticket.context.intent, rule: 'handoff:reopened' },
      null,
    );
    step.outcome.ticketId = ticket.id;
    step.outcome.ticketNumber = ticket.number;
    return step;
  }

  /** When the team can honestly be expected to reply (presence of the team, business hours). */
  private async expectation(
    now: number,
    route: CategoryRoute,
    team: string,
    deadline: number,
    content: Content,
  ): Promise<ReplyExpectation> {
    const online = await this.deps.stores.presence.onlineAgents({ now, team });
    return replyExpectation({
      now,
      sla: route.sla,
      calendar: content.routing.business.calendar,
      agentsOnline: online.length,
      deadline,
    });
  }

  /** The honest notice added under the channel-switch message when nobody can answer soon. */
  private noticeText(
    content: Content,
    conv: Conversation,
    channel: ChannelInfo,
    ticket: Pick<Ticket, 'team' | 'number'>,
    expectation: Exclude<ReplyExpectation, { kind: 'normal' }>,
  ): string {
    const now = this.deps.clock.now();
    const calendar = content.routing.business.calendar;
    const when = formatLocalTime(expectation.expectedReplyAt, calendar, conv.locale, now);
    const vars = {
      ...baseVars(content, conv.locale, conv.customerName),
      team: content.routing.teams[ticket.team]?.name[conv.locale] ?? ticket.team,
      ticket_number: ticket.number,
    };
    return expectation.kind === 'after_hours'
      ? renderTemplate(content, 'handoff_after_hours', {
          ...this.renderOptions(content, conv, channel),
          vars: { ...vars, next_opening: when },
        })
      : renderTemplate(content, 'handoff_no_agent', {
          ...this.renderOptions(content, conv, channel),
          vars: { ...vars, reply_by: when },
        });
  }

  /**
   * Begins a handoff. Categories that name identity fields (billing) first ask for them; the
   * action is `handoff` from that first message on, the ticket is queued once details arrive.
   */
  private async startHandoff(
    conv: Conversation,
    content: Content,
    channel: ChannelInfo,
    decision: Extract<Decision, { action: 'handoff' }>,
    context: Omit<ContextPacket, 'category' | 'rule'>,
  ): Promise<Step> {
    const route = routeFor(content, decision.category);
    if (route.verify.length > 0) {
      conv.state = 'verifying';
      conv.verification = {
        category: route.id,
        intent: decision.intent,
        fields: route.verify,
        originalText: context.originalText,
        rule: decision.rule,
        ranking: context.ranking,
        askedAt: this.deps.clock.now(),
        attempts: 1,
      };
      const text = renderTemplate(content, 'verify_request', {
        ...this.renderOptions(content, conv, channel),
        vars: {
          ...baseVars(content, conv.locale, conv.customerName),
          fields: formatFieldList(fieldDefs(content, route), conv.locale),
          team: teamName(content, route, conv.locale),
        },
      });
      return this.reply(conv, [{ text }], decision, context.confidence);
    }
    return this.queueTicket(conv, content, channel, route, { ...context, category: route.id, rule: decision.rule });
  }

  /** The customer answers our request for identity details (or declines). */
  private async continueVerification(
    conv: Conversation,
    content: Content,
    channel: ChannelInfo,
    turn: Turn,
    nlu: NluResult,
  ): Promise<Step> {
    const pending = conv.verification;
    if (!pending) throw new AppError('INTERNAL', 'verifying state without pending verification');
    conv.transcript = appendTurns(conv.transcript, turn);
    const route = routeFor(content, pending.category);
    const fields = fieldDefs(content, route);
    const { found, missing } = extractFields(turn.text, fields);
    const declined = isDecline(turn.text);
    const decision: Extract<Decision, { action: 'handoff' }> = {
      action: 'handoff',
      category: route.id,
      intent: pending.intent,
      rule: pending.rule,
      reason: 'identity details requested',
    };

    // Safety first: an emergency typed while we wait for details is queued right away.
    const urgent = nlu.rules.some((r) => r.rule === 'emergency' || r.rule === 'human_request');
    if (missing.length > 0 && !declined && !urgent && pending.attempts < 2) {
      pending.attempts += 1;
      const text = renderTemplate(content, 'verify_retry', {
        ...this.renderOptions(content, conv, channel),
        vars: {
          ...baseVars(content, conv.locale, conv.customerName),
          fields: formatFieldList(
            fields.filter((f) => missing.includes(f.id)),
            conv.locale,
          ),
        },
      });
      return this.reply(conv, [{ text }], decision, null);
    }
    conv.verification = undefined;
    return this.queueTicket(conv, content, channel, route, {
      category: route.id,
      intent: pending.intent,
      confidence: null,
      ranking: pending.ranking,
      rule: pending.rule,
      originalText: pending.originalText,
      verification: { fields: found, verified: missing.length === 0 },
    });
  }

  /** Creates the ticket, moves the conversation to `queued` and renders the channel-switch message. */
  private async queueTicket(
    conv: Conversation,
    content: Content,
    channel: ChannelInfo,
    route: CategoryRoute,
    context: ContextPacket,
  ): Promise<Step> {
    const now = this.deps.clock.now();
    const calendar = content.routing.business.calendar;
    const deadline = slaDeadline(now, route.sla, calendar);
    const expectation = await this.expectation(now, route, route.team, deadline, content);
    const attention =
      expectation.kind === 'normal'
        ? undefined
        : { reason: expectation.kind, at: now, expectedReplyAt: expectation.expectedReplyAt };
    const ticket = await this.deps.stores.tickets.create(
      {
        conversationId: conv.id,
        channel: conv.channel,
        senderId: conv.senderId,
        customerName: conv.customerName,
        locale: conv.locale,
        category: route.id,
        team: route.team,
        priority: route.priority,
        createdAt: now,
        slaDeadline: deadline,
        context,
        messages: conv.transcript,
        ...(attention ? { attention } : {}),
      },
      content.routing.business.ticketPrefix,
    );
    conv.state = 'queued';
    conv.ticketId = ticket.id;
    conv.resolvedTicket = undefined;
    let text = renderTemplate(content, route.handoffTemplate, {
      ...this.renderOptions(content, conv, channel),
      vars: {
        ...baseVars(content, conv.locale, conv.customerName),
        team: teamName(content, route, conv.locale),
        team_where: content.routing.teams[route.team]?.where[conv.locale] ?? '',
        sla: formatSla(route.sla, conv.locale),
        reply_by: formatLocalTime(deadline, calendar, conv.locale, now),
        ticket_number: ticket.number,
      },
    });
    if (expectation.kind !== 'normal') {
      // One message: the category's text, then honestly when a person will really be there.
      text += `\n\n${this.noticeText(content, conv, channel, ticket, expectation)}`;
      this.deps.handoff.alertSupervisors(ticket, expectation.kind);
    }
    // The agent sees what the customer was told (who, where, how soon) in the ticket's transcript.
    const told: Turn = { at: now, from: 'bot', text };
    await this.deps.stores.tickets.appendMessage(ticket.id, told);
    ticket.messages.push(told);
    this.deps.onTicketCreated?.(ticket);
    const decision = { action: 'handoff' as const, category: route.id, intent: context.intent, rule: context.rule };
    const step = this.reply(conv, [{ text }], decision, context.confidence);
    step.outcome.ticketId = ticket.id;
    step.outcome.ticketNumber = ticket.number;
    return step;
  }

  private renderOptions(content: Content, conv: Conversation, channel: ChannelInfo) {
    return {
      locale: conv.locale,
      channel: channel.name,
      vars: baseVars(content, conv.locale, conv.customerName),
      rng: this.deps.rng,
    };
  }

  /** Records the bot's replies in the transcript and builds the outcome. */
  private reply(
    conv: Conversation,
    replies: OutboundMessage[],
    decision: {
      action: Exclude<EngineOutcome['action'], 'relay' | 'none'>;
      rule: string;
      intent?: string | null;
      category?: string;
    },
    confidence: number | null,
  ): Step {
    const now = this.deps.clock.now();
    conv.transcript = appendTurns(
      conv.transcript,
      ...replies.map((r): Turn => ({ at: now, from: 'bot', text: renderForTranscript(r) })),
    );
    return {
      outcome: {
        replies: replies.map((r) => ({ ...r, from: { kind: 'bot' } })),
        action: decision.action,
        intent: decision.intent ?? null,
        category: decision.category ?? null,
        confidence,
        rule: decision.rule,
        state: conv.state,
        conversationId: conv.id,
      },
    };
  }
}

interface Step {
  outcome: EngineOutcome;
}

function emptyOutcome(conv: Conversation): EngineOutcome {
  return {
    replies: [],
    action: 'none',
    intent: null,
    category: null,
    confidence: null,
    state: conv.state,
    conversationId: conv.id,
    ticketId: conv.ticketId,
  };
}

/**
 * The channel's locale wins; otherwise the detected one, except for short replies ("1", "ok",
 * "makasih") in an ongoing conversation, which carry too little evidence to switch languages.
 */
function chooseLocale(inbound: InboundMessage, conv: Conversation, nlu: NluResult, existing: boolean): Locale {
  if (inbound.locale) return inbound.locale;
  const words = nlu.normalized.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (existing && words.length < 3) return conv.locale;
  // A first "halo" says little; the language of the customer's app (a hint) says more.
  if (!existing && words.length < 3 && inbound.localeHint) return inbound.localeHint;
  return nlu.locale;
}

/** The customer's turn as the transcript shows it: the text, a tapped choice, or what was attached. */
function turnText(inbound: InboundMessage): string {
  const text = inbound.text || inbound.choice || '';
  if (!inbound.attachment) return text;
  return `${describeAttachment(inbound.attachment)} ${text}`.trim();
}

function routeFor(content: Content, category: string): CategoryRoute {
  const route = content.routing.categories[category] ?? content.routing.categories[content.routing.humanCategory];
  if (!route) throw new AppError('CONTENT_INVALID', `No route for category ${category}`);
  return route;
}

function fieldDefs(content: Content, route: CategoryRoute) {
  return route.verify.flatMap((id) => {
    const field = content.routing.verificationFields[id];
    return field ? [field] : [];
  });
}

function teamName(content: Content, route: CategoryRoute, locale: Locale): string {
  return content.routing.teams[route.team]?.name[locale] ?? route.team;
}

/** Choices are part of what the customer saw; keep them in the transcript the agent reads. */
function renderForTranscript(message: OutboundMessage): string {
  if (!message.choices?.length) return message.text;
  return `${message.text}\n${message.choices.map((c) => `[${c.label}]`).join(' ')}`;
}

/** The internal note that flags a reopened ticket nobody can answer soon. */
function noticeNote(reason: AttentionReason): string {
  return reason === 'after_hours'
    ? 'Reopened outside business hours: the customer was told when the team opens; supervisors alerted.'
    : 'Reopened while nobody of the team was online: the customer was told the deadline; supervisors alerted.';
}
