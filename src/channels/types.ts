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
 * A channel the engine can send through. Adapters own the platform I/O; codecs (pure) turn
 * platform payloads into `InboundMessage` and `OutboundMessage` into platform payloads.
 */
export interface Channel {
  readonly name: string;
  readonly capabilities: ChannelCapabilities;
  /** Delivers messages to one customer, in order. Used for replies that arrive later (agents). */
  send(senderId: string, messages: OutboundMessage[]): Promise<void>;
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
