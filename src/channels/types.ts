import type { Readable } from 'node:stream';
import type { InboundMessage, OutboundMessage } from '../domain/message';

/**
 * What a channel can render. Rendering degrades by these: no buttons → numbered list the customer
 * answers with "1", "2"…; long texts are split at `maxTextLength`.
 */
export interface ChannelCapabilities {
  buttons: boolean;
  /** Most buttons one message may carry (WhatsApp Cloud: 3). */
  maxButtons: number;
  /** Longest button label (WhatsApp Cloud: 20). */
  maxButtonLabel: number;
  /** Longest single text message (Telegram: 4096). */
  maxTextLength: number;
}

/**
 * A channel the app can send through *later*, outside the reply to a customer's message (an
 * agent's reply, the CSAT question). Push channels call their platform; the REST channel, which
 * cannot push, puts messages in the customer's outbox for the client to poll. Adapters own the
 * I/O; codecs (pure) turn platform payloads into `InboundMessage` and `OutboundMessage` into
 * platform payloads.
 */
export interface ChannelSender {
  readonly name: string;
  readonly capabilities: ChannelCapabilities;
  /** Delivers messages to one customer, in order. Resolves once they are handed over (or stored). */
  send(recipient: string, messages: OutboundMessage[]): Promise<void>;
  /**
   * Rejects when `send` to this recipient cannot succeed now for a reason the agent must hear
   * before anything is recorded (WhatsApp's closed 24-hour window: `WHATSAPP_WINDOW_CLOSED`).
   * Channels without such rules leave it out.
   */
  assertCanSend?(recipient: string): Promise<void>;
  /**
   * Fetches a file a customer sent (`Attachment.ref`), for the console's download route. Channels
   * without files leave it out. Rejects `ATTACHMENT_GONE` when the platform no longer has it and
   * `ATTACHMENT_TOO_LARGE` past `maxBytes` (before downloading when the size is known).
   */
  fetchAttachment?(ref: string, options: { maxBytes: number }): Promise<AttachmentDownload>;
}

/** A file on its way from the platform: the bytes as a stream, and what the platform said of them. */
export interface AttachmentDownload {
  body: Readable;
  /** Bytes, when the platform said (the route still counts and stops at its cap). */
  size?: number;
}

/** Fetches customers' files by channel (`ChannelRegistry`); what the console's attachment route depends on. */
export interface AttachmentFetcher {
  /** `CHANNEL_UNAVAILABLE` when the channel has no sender or cannot fetch files. */
  fetchAttachment(channel: string, ref: string, options: { maxBytes: number }): Promise<AttachmentDownload>;
}

/**
 * Sends to any customer on the channel they wrote from (`ChannelRegistry` over every
 * `ChannelSender`). What the engine and the handoff service depend on.
 */
export interface CustomerSender {
  /** What the channel renders, or undefined when no sender is registered for it. */
  capabilities(channel: string): ChannelCapabilities | undefined;
  /** `CHANNEL_UNAVAILABLE` when no sender is registered for `channel`. */
  send(channel: string, recipient: string, messages: OutboundMessage[]): Promise<void>;
  /**
   * Rejects when a message to `recipient` could not go out at all right now (e.g.
   * `WHATSAPP_WINDOW_CLOSED`), before anything is recorded; resolves when the channel has no such
   * rule.
   */
  assertCanSend?(channel: string, recipient: string): Promise<void>;
}

/**
 * The pure half of a channel: platform payload ⇄ channel-neutral messages. `decode` receives an
 * already schema-validated payload (zod at the HTTP boundary) and returns null for payloads that
 * carry no customer message (e.g. a delivery receipt).
 */
export interface ChannelCodec<Raw, Encoded> {
  decode(raw: Raw, receivedAt: number): InboundMessage | null;
  encode(message: OutboundMessage): Encoded;
}
