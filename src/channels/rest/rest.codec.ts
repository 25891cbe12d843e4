import { z } from 'zod';
import type { EngineOutcome } from '../../engine/outcome';
import type { InboundMessage, OutboundMessage } from '../../domain/message';
import type { ChannelCapabilities, ChannelCodec } from '../types';

/**
 * The REST channel: the simplest way to talk to the bot (web chat, integrations, acceptance
 * checks). Request and response shapes are a public API; change them only additively.
 */
export const REST_CHANNEL = 'rest';

export const restCapabilities: ChannelCapabilities = {
  buttons: true,
  maxButtons: 4,
  maxButtonLabel: 40,
  maxTextLength: 4096,
};

/** `POST /channels/rest/messages` body. */
export const restInboundSchema = z.strictObject({
  sender: z
    .string()
    .min(1, { error: 'sender must not be empty' })
    .max(128, { error: 'sender must be at most 128 characters' })
    .regex(/^[\p{L}\p{N}_.:@+-]+$/u, { error: 'sender may contain letters, digits and _ . : @ + - only' }),
  text: z.string({ error: 'text must be a string' }).max(1_000_000),
  choice: z.string().min(1).max(64).optional(),
  locale: z.enum(['id', 'en']).optional(),
  /** Optional idempotency key: a retried request with the same id is answered once. */
  messageId: z.string().min(1).max(128).optional(),
  name: z.string().min(1).max(100).optional(),
}).refine((b) => b.text.trim().length > 0 || b.choice !== undefined, {
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
