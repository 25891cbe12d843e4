import type { Locale } from './locale';

/**
 * The channel-neutral model of messages. Every channel codec decodes its platform payload into an
 * `InboundMessage` and encodes `OutboundMessage`s back, so the engine never sees platform shapes.
 */

/** A message a customer sent us, after decoding. */
export interface InboundMessage {
  /** Channel name, e.g. `rest`, `telegram`, `whatsapp`. */
  channel: string;
  /** The customer's stable id on that channel (chat id, wa_id, REST `sender`). */
  senderId: string;
  /** Provider message id, used for de-duplication. Absent when the channel has none. */
  messageId?: string;
  /** What the customer typed. May be empty when only a `choice` was sent. */
  text: string;
  /** The id of a clarification choice the customer tapped (button / callback data). */
  choice?: string;
  /** A locale the channel knows for sure (e.g. chosen in the web chat); otherwise detected. */
  locale?: Locale;
  /**
   * A weaker locale signal (Telegram's app `language_code`): used where the text itself carries
   * too little evidence (a first "halo", a command), never over what the customer writes.
   */
  localeHint?: Locale;
  /** A bot command the channel recognised (`/start`, `/help`, `/agent`, `/cancel`). */
  command?: CustomerCommand;
  /**
   * Something other than text came with (or instead of) the message: a photo, a voice note, a
   * sticker… `text` then holds the caption, if any.
   */
  attachment?: Attachment;
  /** Display name, when the platform gives one. Never logged. */
  customerName?: string;
  /** When the message was received, epoch milliseconds. */
  receivedAt: number;
}

/** One option of a clarifying question, rendered as a button or as a numbered line. */
export interface Choice {
  /** Stable id sent back when tapped (short: Telegram allows 64 bytes of callback data). */
  id: string;
  /** Customer-facing label in the conversation's locale. */
  label: string;
}

/** A message the bot (or an agent) sends to a customer. */
export interface OutboundMessage {
  text: string;
  /** Present on clarifying questions when the channel renders buttons. */
  choices?: Choice[];
  /** Who speaks: the bot, or an agent by display name. */
  from?: { kind: 'bot' } | { kind: 'agent'; name: string };
}

/** Commands a customer can give on channels that have them (Telegram's `/start` menu). */
export const CUSTOMER_COMMANDS = ['start', 'help', 'agent', 'cancel'] as const;
export type CustomerCommand = (typeof CUSTOMER_COMMANDS)[number];

/** Kinds of non-text content a customer can send. */
export type AttachmentKind =
  | 'photo'
  | 'document'
  | 'voice'
  | 'audio'
  | 'video'
  | 'video_note'
  | 'animation'
  | 'sticker'
  | 'location'
  | 'contact'
  | 'other';

/**
 * Non-text content, described for the agent's transcript. The file itself stays on the platform:
 * `ref` is the channel's own handle to fetch it later (Telegram's `file_id`, a WhatsApp media id),
 * opaque to everything but that channel's adapter, and absent for content without a file
 * (a location, a contact). Agents download it through the console (`GET
 * /api/tickets/:id/attachments/:index`), which asks the channel; the platform's credentials never
 * leave the server.
 */
export interface Attachment {
  kind: AttachmentKind;
  /** A short description an agent can act on: a file name, a sticker's emoji, coordinates, a shared contact. */
  detail?: string;
  /** The channel's handle to the file (Telegram `file_id`). Channel-specific; never shown to customers. */
  ref?: string;
  /** The platform's stable id of the same file (Telegram `file_unique_id`), when it gives one. */
  uniqueRef?: string;
  /** The MIME type the platform reported (customer-supplied: never trusted for rendering). */
  mimeType?: string;
  /** The file name the customer's app sent (customer-supplied: shown escaped, sanitised for downloads). */
  fileName?: string;
  /** Size in bytes, when the platform reported it. */
  size?: number;
}

/** How an attachment shows in a transcript, e.g. `[photo]`, `[location: -6.9, 107.6]`. */
export function describeAttachment(attachment: Attachment): string {
  const label = attachment.kind.replace('_', ' ');
  return attachment.detail ? `[${label}: ${attachment.detail}]` : `[${label}]`;
}
