import type { Locale } from './locale';
import type { Attachment, Choice } from './message';

/**
 * Conversation states and the transitions between them.
 *
 * ```
 *  bot ──low confidence──► clarifying ──choice / clear answer──► bot
 *   │                          └──second miss──► queued
 *   ├──handoff (billing with identity fields)──► verifying ──details / decline──► queued
 *   └──handoff──► queued ──agent claims──► with_agent ──resolve──► bot
 * ```
 * While `queued` or `with_agent` the bot never answers: customer messages go to the ticket.
 */
export const CONVERSATION_STATES = ['bot', 'clarifying', 'verifying', 'queued', 'with_agent'] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

/** One line of the transcript an agent reads. */
export interface Turn {
  at: number;
  from: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  /** Agent display name, for `from: 'agent'`. */
  agent?: string;
  /** What the bot decided for this customer turn (intent, rule), shown in the console. */
  meta?: { intent?: string; confidence?: number; action?: string; rule?: string };
  /**
   * The file that came with a customer's turn (a photo, a document…), when the channel can fetch
   * it later (`ref`); `text` still describes it ("[photo] caption") for transcripts and the desk.
   */
  attachment?: Attachment;
}

/** The pending clarifying question, kept so the next message can be read as its answer. */
export interface PendingClarification {
  /** The customer's message that was unclear; the agent sees it if we hand off. */
  originalText: string;
  /** The question as the customer saw it (choices aside), for the agent's context packet. */
  question?: string;
  /** Choice ids map to intents; `other` is the "something else / talk to a person" option. */
  options: { choice: Choice; intent: string | null }[];
  /** The ranking at the time of asking, for the context packet. */
  ranking: { intent: string; confidence: number }[];
  askedAt: number;
}

/** Who took the conversation over outside the console, and since when. */
export interface HumanTakeoverMark {
  /** `phone`: typed on the business phone (a `fromMe` message the bot did not send). */
  by: 'phone';
  since: number;
}

/** A billing-style handoff waiting for the identity details the routing file asks for. */
export interface PendingVerification {
  category: string;
  intent: string | null;
  /** Field names still missing, e.g. `customer_number`. */
  fields: string[];
  /** The message that triggered the handoff. */
  originalText: string;
  /** The rule that fired for the handoff, kept for the context packet. */
  rule: string;
  ranking: { intent: string; confidence: number }[];
  askedAt: number;
  /** How many times we already asked (we ask at most twice, then queue unverified). */
  attempts: number;
}

export interface Conversation {
  /** `<channel>:<senderId>`; see `conversationId()`. */
  id: string;
  channel: string;
  senderId: string;
  locale: Locale;
  state: ConversationState;
  customerName?: string;
  clarification?: PendingClarification;
  verification?: PendingVerification;
  /**
   * A person answered this customer outside the console (on the business phone, WhatsApp Web):
   * while set, customer messages are recorded in the transcript and the bot stays silent, until
   * an agent hands the conversation back (console) or a ticket of it is resolved.
   */
  humanTakeover?: HumanTakeoverMark;
  /** The open ticket while `queued` / `with_agent`. */
  ticketId?: string;
  /**
   * The ticket an agent resolved last, kept after the bot resumes: a message within the routing's
   * reopen window reopens it (`afterResolved` in `handoff/reopen.ts`).
   */
  resolvedTicket?: { id: string; number: string; resolvedAt: number };
  /**
   * The CSAT question was asked for this resolved ticket: the next message, if it is a rating
   * ("1"…"5", a tapped button, stars), is recorded on the ticket; anything else clears this.
   */
  pendingCsat?: { ticketId: string; ticketNumber: string; askedAt: number };
  /** The most recent turns, oldest first (bounded; see `TRANSCRIPT_LIMIT`). */
  transcript: Turn[];
  /**
   * Provider ids of the last processed messages (bounded). Saved in the same compare-and-set
   * write as the state change a message caused, so a re-delivered message is recognised exactly
   * when its effects were stored, and a message whose processing failed is processed again.
   */
  recentMessageIds: string[];
  createdAt: number;
  updatedAt: number;
  /** Incremented on every save; stores use it for compare-and-set. */
  version: number;
}

/** How many turns a conversation keeps; older ones are dropped (tickets keep their own copy). */
export const TRANSCRIPT_LIMIT = 50;

/** How many provider message ids a conversation remembers for de-duplication. */
export const RECENT_MESSAGE_IDS_LIMIT = 50;

export function conversationId(channel: string, senderId: string): string {
  return `${channel}:${senderId}`;
}

/** A new conversation in the `bot` state. */
export function newConversation(channel: string, senderId: string, locale: Locale, now: number): Conversation {
  return {
    id: conversationId(channel, senderId),
    channel,
    senderId,
    locale,
    state: 'bot',
    transcript: [],
    recentMessageIds: [],
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
}

/** Appends turns, keeping only the last `TRANSCRIPT_LIMIT`. Returns a new array. */
export function appendTurns(transcript: Turn[], ...turns: Turn[]): Turn[] {
  const all = [...transcript, ...turns];
  return all.length > TRANSCRIPT_LIMIT ? all.slice(all.length - TRANSCRIPT_LIMIT) : all;
}
