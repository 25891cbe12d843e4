import { z } from 'zod';
import type { EngineOutcome } from '../../engine/outcome';
import type { InboundMessage, OutboundMessage } from '../../domain/message';
import { OUTBOX_CURSOR_PATTERN, OUTBOX_DEFAULTS } from '../../store/outbox-cursor';
import type { OutboxMessage } from '../../store/types';
import type { ChannelCapabilities, ChannelCodec } from '../types';

/**
 * The REST channel: the simplest way to talk to the bot (web chat, integrations, acceptance
 * checks). Request and response shapes are a public API; change them only additively.
 */
export const REST_CHANNEL = 'rest';

export const restCapabilities: ChannelCapabilities = {
  buttons: true,
  // Five: the CSAT question's 1–5 (clarifications offer at most four).
  maxButtons: 5,
  maxButtonLabel: 40,
  maxTextLength: 4096,
};

/** The customer's id on the REST channel (chosen by the client; the web chat uses a random one). */
const senderSchema = z
  .string({ error: 'sender must be a string' })
  .min(1, { error: 'sender must not be empty' })
  .max(128, { error: 'sender must be at most 128 characters' })
  .regex(/^[\p{L}\p{N}_.:@+-]+$/u, { error: 'sender may contain letters, digits and _ . : @ + - only' });

/** `POST /channels/rest/messages` body. */
export const restInboundSchema = z
  .strictObject({
    sender: senderSchema,
    text: z.string({ error: 'text must be a string' }).max(1_000_000),
    choice: z.string().min(1).max(64).optional(),
    locale: z.enum(['id', 'en']).optional(),
    /** Optional idempotency key: a retried request with the same id is answered once. */
    messageId: z.string().min(1).max(128).optional(),
    name: z.string().min(1).max(100).optional(),
  })
  .refine((b) => b.text.trim().length > 0 || b.choice !== undefined, {
    error: 'text must not be empty (or send a choice)',
    path: ['text'],
  });
export type RestInbound = z.infer<typeof restInboundSchema>;

/** One reply as the REST channel shows it. */
export interface RestReply {
  text: string;
  choices?: { id: string; label: string }[];
}

/** REST ⇄ channel-neutral messages. Every REST body carries a customer message, so no nulls. */
export const restCodec = {
  decode(body: RestInbound, receivedAt: number): InboundMessage {
    return {
      channel: REST_CHANNEL,
      senderId: body.sender,
      messageId: body.messageId,
      text: body.text,
      choice: body.choice,
      locale: body.locale,
      customerName: body.name,
      receivedAt,
    };
  },
  encode(message: OutboundMessage): RestReply {
    return message.choices?.length ? { text: message.text, choices: message.choices } : { text: message.text };
  },
} satisfies ChannelCodec<RestInbound, RestReply>;

/** The response body: replies plus what the engine did, for clients and tests. */
export interface RestResponse {
  replies: RestReply[];
  action: EngineOutcome['action'];
  intent: string | null;
  category: string | null;
  confidence: number | null;
  rule?: string;
  state: EngineOutcome['state'];
  ticketId?: string;
  ticketNumber?: string;
  duplicate?: boolean;
}

export function encodeRest(outcome: EngineOutcome): RestResponse {
  return {
    replies: outcome.replies.map(restCodec.encode),
    action: outcome.action,
    intent: outcome.intent,
    category: outcome.category,
    confidence: outcome.confidence,
    rule: outcome.rule,
    state: outcome.state,
    ticketId: outcome.ticketId,
    ticketNumber: outcome.ticketNumber,
    duplicate: outcome.duplicate,
  };
}

/** `GET /channels/rest/messages` query: whose outbox, after which cursor, how many. */
export const restPollSchema = z.strictObject({
  sender: senderSchema,
  after: z
    .string({ error: 'after must be a single cursor' })
    .regex(OUTBOX_CURSOR_PATTERN, { error: 'after must be a cursor returned by this API' })
    .optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int({ error: 'limit must be a whole number' })
    .min(1, { error: 'limit must be at least 1' })
    .max(OUTBOX_DEFAULTS.maxPageSize, { error: `limit must be at most ${OUTBOX_DEFAULTS.maxPageSize}` })
    .optional(),
});
export type RestPoll = z.infer<typeof restPollSchema>;

/** One message of `GET /channels/rest/messages`, sent after the customer's last request. */
export interface RestOutboxMessage {
  cursor: string;
  text: string;
  buttons?: { id: string; label: string }[];
  from: { kind: 'bot' } | { kind: 'agent'; name: string };
  /** ISO 8601. */
  at: string;
}

/** The `GET /channels/rest/messages` response: `cursor` is the `after` of the next poll. */
export function encodeRestOutbox(page: { messages: OutboxMessage[]; cursor: string }): {
  messages: RestOutboxMessage[];
  cursor: string;
} {
  return {
    messages: page.messages.map((m) => ({
      cursor: m.cursor,
      text: m.text,
      ...(m.buttons?.length ? { buttons: m.buttons } : {}),
      from: m.from.kind === 'agent' ? { kind: 'agent', name: m.from.name } : { kind: 'bot' },
      at: new Date(m.at).toISOString(),
    })),
    cursor: page.cursor,
  };
}
