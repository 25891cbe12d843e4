import type { ChannelCapabilities } from '../channels/types';
import type { CategoryRoute, Content } from '../content/model';
import { type Clock, type Rng } from '../domain/clock';
import {
  appendTurns,
  conversationId,
  newConversation,
  RECENT_MESSAGE_IDS_LIMIT,
  type Conversation,
  type PendingClarification,
  type Turn,
} from '../domain/conversation';
import { AppError } from '../domain/errors';
import type { Locale } from '../domain/locale';
import type { InboundMessage, OutboundMessage } from '../domain/message';
import type { ContextPacket, Ticket } from '../domain/ticket';
import { buildClarification, resolveChoice } from '../dialogue/clarify';
import { decide } from '../dialogue/policy';
import { baseVars, renderTemplate } from '../dialogue/render';
import type { Decision } from '../dialogue/types';
import { extractFields, formatFieldList, isDecline } from '../dialogue/verification';
import { formatLocalTime, formatSla, slaDeadline } from '../handoff/sla';
import type { NluResult } from '../nlu/types';
import type { Logger } from '../observability/logger';
import { pseudonym } from '../observability/logger';
import type { Stores } from '../store/types';
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
}

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
    return this.deps.stores.lock.run(id, () => this.handleLocked(inbound, channel, id));
  }

  private async handleLocked(inbound: InboundMessage, channel: ChannelInfo, id: string): Promise<EngineOutcome> {
    const { stores, clock } = this.deps;
    const brain = this.deps.brain();
    const now = clock.now();
    const stored = await stores.conversations.get(id);

    if (stored && inbound.messageId && stored.recentMessageIds.includes(inbound.messageId)) {
      return { ...emptyOutcome(stored), duplicate: true };
    }

    const conv: Conversation = stored ?? newConversation(channel.name, inbound.senderId, inbound.locale ?? 'id', now);
    if (inbound.customerName) conv.customerName = inbound.customerName;
    const customerTurn: Turn = { at: now, from: 'customer', text: inbound.text || inbound.choice || '' };

    let result: Step;
    if (conv.state === 'queued' || conv.state === 'with_agent') {
      result = await this.relay(conv, customerTurn);
    } else {
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
    const saved = await stores.conversations.save(conv);
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

  /** A human owns the conversation: the message goes to the ticket and the bot stays silent. */
  private async relay(conv: Conversation, turn: Turn): Promise<Step> {
    conv.transcript = appendTurns(conv.transcript, turn);
    if (conv.ticketId) {
      await this.deps.stores.tickets.appendMessage(conv.ticketId, turn);
      this.deps.onTicketMessage?.(conv.ticketId, turn);
    }
    return {
      outcome: { ...emptyOutcome(conv), action: 'relay', ticketId: conv.ticketId },
    };
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
      },
      content.routing.business.ticketPrefix,
    );
    conv.state = 'queued';
    conv.ticketId = ticket.id;
    const text = renderTemplate(content, route.handoffTemplate, {
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
    decision: { action: 'answer' | 'clarify' | 'handoff'; rule: string; intent?: string | null; category?: string },
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
  return nlu.locale;
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
