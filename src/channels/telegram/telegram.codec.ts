import { z } from 'zod';
import type { Locale } from '../../domain/locale';
import type {
  Attachment,
  AttachmentKind,
  Choice,
  CustomerCommand,
  InboundMessage,
  OutboundMessage,
} from '../../domain/message';
import { splitText } from '../../dialogue/render';
import type { ChannelCapabilities, ChannelCodec } from '../types';

/**
 * The Telegram channel, pure half: Bot API `Update` → `InboundMessage` (customers write in private
 * chats with the bot), `OutboundMessage` → `sendMessage` parameters (inline keyboards for choices,
 * texts split at Telegram's 4096-character limit). The adapter (`telegram.adapter.ts`) does the I/O.
 */
export const TELEGRAM_CHANNEL = 'telegram';

/** Telegram's limits: <https://core.telegram.org/bots/api#sendmessage>. */
export const TELEGRAM_MAX_TEXT = 4096;
/** `callback_data` is 1–64 bytes. */
export const TELEGRAM_MAX_CALLBACK_DATA_BYTES = 64;

export const telegramCapabilities: ChannelCapabilities = {
  buttons: true,
  // Inline keyboards take many more; five covers the CSAT question's 1–5.
  maxButtons: 8,
  // Longer labels are cut off by the apps, so keep them readable.
  maxButtonLabel: 40,
  maxTextLength: TELEGRAM_MAX_TEXT,
};

// --- zod schemas for the parts of an Update we read (everything else passes through untouched) ---

const userSchema = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  language_code: z.string().optional(),
});

const chatSchema = z.looseObject({
  id: z.number().int(),
  type: z.string(),
});

/**
 * The file fields every Bot API file object shares (`PhotoSize`, `Document`, `Voice`…). Ids are
 * opaque; the bounds only keep a hostile payload from storing megabytes on a ticket.
 */
const fileSchema = z.looseObject({
  file_id: z.string().min(1).max(512),
  file_unique_id: z.string().max(128).optional(),
  file_name: z.string().max(512).optional(),
  mime_type: z.string().max(255).optional(),
  file_size: z.number().int().nonnegative().optional(),
});
type TelegramFile = z.infer<typeof fileSchema>;

const messageSchema = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int(),
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(fileSchema.extend({ width: z.number().optional(), height: z.number().optional() })).optional(),
  document: fileSchema.optional(),
  voice: fileSchema.extend({ duration: z.number().optional() }).optional(),
  audio: fileSchema.optional(),
  video: fileSchema.optional(),
  video_note: fileSchema.optional(),
  animation: fileSchema.optional(),
  sticker: fileSchema.extend({ emoji: z.string().optional() }).optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  contact: z
    .looseObject({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional() })
    .optional(),
  venue: z.looseObject({ title: z.string() }).optional(),
  poll: z.looseObject({}).optional(),
  dice: z.looseObject({}).optional(),
});
export type TelegramMessage = z.infer<typeof messageSchema>;

const callbackQuerySchema = z.looseObject({
  id: z.string(),
  from: userSchema,
  /** Absent for buttons under inline-mode messages; `date: 0` when the message is too old to read. */
  message: z.looseObject({ message_id: z.number().int(), chat: chatSchema }).optional(),
  data: z.string().optional(),
});

/** A Bot API `Update`, as far as the customer channel reads it. */
export const telegramUpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: messageSchema.optional(),
  edited_message: messageSchema.optional(),
  channel_post: messageSchema.optional(),
  edited_channel_post: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
});
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;

// --- decoding ---

/** Why an update carries nothing for the customer bot. Each is a deliberate choice, not a gap. */
export type IgnoreReason =
  /** Groups and supergroups: the customer bot serves private chats only. */
  | 'group_chat'
  /** Channel posts (and their edits) are announcements, not customers. */
  | 'channel_post'
  /**
   * An edit of a message we already handled: answering it again would answer one question twice,
   * and a silent change could contradict what an agent already read. Customers send a new message.
   */
  | 'edited_message'
  /** Another bot. */
  | 'from_bot'
  /** Service messages (pins, chat changes) and update kinds we do not subscribe to. */
  | 'unsupported'
  /** A button under a message we cannot see any more (inline mode, or no chat). */
  | 'callback_without_chat';

/** What one update means for the customer bot. */
export type TelegramClassified =
  | {
      kind: 'message';
      /** The private chat: where replies go. */
      chatId: number;
      inbound: InboundMessage;
      /** Set for button presses: the adapter must answer it so the client's spinner stops. */
      callbackQueryId?: string;
      /** For button presses: the message that carries the pressed keyboard (removed once used). */
      keyboardMessageId?: number;
    }
  | { kind: 'ignore'; reason: IgnoreReason; callbackQueryId?: string };

/** Command names (and Indonesian aliases) → the command; other `/words` are treated as `/help`. */
const COMMANDS: Record<string, CustomerCommand> = {
  start: 'start',
  mulai: 'start',
  help: 'help',
  bantuan: 'help',
  agent: 'agent',
  agen: 'agent',
  petugas: 'agent',
  cs: 'agent',
  cancel: 'cancel',
  batal: 'cancel',
};

const COMMAND_PATTERN = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s|$)/;

/** `language_code` (an IETF tag from the user's app) → our locale, when we have one for it. */
export function localeFromLanguageCode(code: string | undefined): Locale | undefined {
  const primary = code?.toLowerCase().split(/[-_]/)[0];
  if (primary === 'id' || primary === 'in' || primary === 'ms') return 'id';
  if (primary === 'en') return 'en';
  return undefined;
}

/** The command a text starts with, or undefined for ordinary text. */
export function parseCommand(text: string): CustomerCommand | undefined {
  const match = COMMAND_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return COMMANDS[match[1]!.toLowerCase()] ?? 'help';
}

/** What non-text content a message carries, if any. */
export function attachmentOf(message: TelegramMessage): Attachment | undefined {
  const kind = ((): AttachmentKind | undefined => {
    if (message.photo) return 'photo';
    if (message.document && !message.animation) return 'document';
    if (message.voice) return 'voice';
    if (message.audio) return 'audio';
    if (message.video) return 'video';
    if (message.video_note) return 'video_note';
    if (message.animation) return 'animation';
    if (message.sticker) return 'sticker';
    if (message.venue || message.location) return 'location';
    if (message.contact) return 'contact';
    if (message.poll || message.dice) return 'other';
    return undefined;
  })();
  if (!kind) return undefined;
  const detail = ((): string | undefined => {
    switch (kind) {
      case 'document':
        return message.document?.file_name;
      case 'sticker':
        return message.sticker?.emoji;
      case 'location': {
        const place = message.venue?.title;
        const at = message.location ? `${message.location.latitude}, ${message.location.longitude}` : undefined;
        return [place, at].filter(Boolean).join(' ') || undefined;
      }
      case 'contact': {
        const c = message.contact!;
        return `${[c.first_name, c.last_name].filter(Boolean).join(' ')} ${c.phone_number}`;
      }
      default:
        return undefined;
    }
  })();
  const attachment: Attachment = detail ? { kind, detail } : { kind };
  const file = fileOf(message, kind);
  if (file) {
    attachment.ref = file.file_id;
    if (file.file_unique_id) attachment.uniqueRef = file.file_unique_id;
    // Telegram re-encodes every photo as JPEG; other kinds say what they are (or not).
    const mimeType = kind === 'photo' ? 'image/jpeg' : file.mime_type;
    if (mimeType) attachment.mimeType = mimeType;
    if (file.file_name) attachment.fileName = file.file_name;
    if (file.file_size !== undefined) attachment.size = file.file_size;
  }
  return attachment;
}

/** The downloadable file of a message: the largest size of a photo, the file of other kinds. */
function fileOf(message: TelegramMessage, kind: AttachmentKind): TelegramFile | undefined {
  switch (kind) {
    case 'photo':
      // Sizes come smallest first; pick by area (then bytes) rather than trust the order.
      return [...(message.photo ?? [])].sort(
        (a, b) =>
          (a.width ?? 0) * (a.height ?? 0) - (b.width ?? 0) * (b.height ?? 0) ||
          (a.file_size ?? 0) - (b.file_size ?? 0),
      )[message.photo!.length - 1];
    case 'document':
      return message.document;
    case 'voice':
      return message.voice;
    case 'audio':
      return message.audio;
    case 'video':
      return message.video;
    case 'video_note':
      return message.video_note;
    case 'animation':
      return message.animation;
    case 'sticker':
      return message.sticker;
    default:
      return undefined;
  }
}

function displayName(user: z.infer<typeof userSchema> | undefined): string | undefined {
  if (!user) return undefined;
  return [user.first_name, user.last_name].filter(Boolean).join(' ') || undefined;
}

/**
 * Classifies an update: a customer's message (text, caption, command, non-text content, a button
 * press) in a private chat, or a deliberate `ignore`. `receivedAt` is our clock, not Telegram's
 * `date`.
 */
export function classifyUpdate(update: TelegramUpdate, receivedAt: number): TelegramClassified {
  if (update.callback_query) {
    const cq = update.callback_query;
    const chat = cq.message?.chat;
    if (!chat) return { kind: 'ignore', reason: 'callback_without_chat', callbackQueryId: cq.id };
    if (chat.type !== 'private') return { kind: 'ignore', reason: 'group_chat', callbackQueryId: cq.id };
    if (cq.from.is_bot) return { kind: 'ignore', reason: 'from_bot', callbackQueryId: cq.id };
    const inbound: InboundMessage = {
      channel: TELEGRAM_CHANNEL,
      senderId: String(chat.id),
      messageId: `cb:${cq.id}`,
      text: '',
      receivedAt,
    };
    if (cq.data) inbound.choice = cq.data;
    addPerson(inbound, cq.from);
    return {
      kind: 'message',
      chatId: chat.id,
      inbound,
      callbackQueryId: cq.id,
      keyboardMessageId: cq.message!.message_id,
    };
  }
  if (update.channel_post || update.edited_channel_post) return { kind: 'ignore', reason: 'channel_post' };
  if (update.edited_message) {
    return update.edited_message.chat.type === 'private'
      ? { kind: 'ignore', reason: 'edited_message' }
      : { kind: 'ignore', reason: 'group_chat' };
  }
  const message = update.message;
  if (!message) return { kind: 'ignore', reason: 'unsupported' };
  if (message.chat.type !== 'private') return { kind: 'ignore', reason: 'group_chat' };
  if (message.from?.is_bot) return { kind: 'ignore', reason: 'from_bot' };

  const text = message.text ?? message.caption ?? '';
  const attachment = attachmentOf(message);
  if (!text.trim() && !attachment) return { kind: 'ignore', reason: 'unsupported' };
  const inbound: InboundMessage = {
    channel: TELEGRAM_CHANNEL,
    senderId: String(message.chat.id),
    messageId: `${message.chat.id}:${message.message_id}`,
    text,
    receivedAt,
  };
  const command = message.text !== undefined ? parseCommand(message.text) : undefined;
  if (command) inbound.command = command;
  if (attachment) inbound.attachment = attachment;
  addPerson(inbound, message.from);
  return { kind: 'message', chatId: message.chat.id, inbound };
}

function addPerson(inbound: InboundMessage, from: z.infer<typeof userSchema> | undefined): void {
  const name = displayName(from);
  if (name) inbound.customerName = name;
  const hint = localeFromLanguageCode(from?.language_code);
  if (hint) inbound.localeHint = hint;
}

// --- encoding ---

export interface InlineKeyboardButton {
  text: string;
  callback_data: string;
}

/** One `sendMessage` call, without `chat_id` (the adapter adds it). Plain text: no `parse_mode`. */
export interface TelegramSend {
  text: string;
  reply_markup?: { inline_keyboard: InlineKeyboardButton[][] };
}

/**
 * The inline keyboard for a message's choices: short labels (the CSAT "1 ★"… "5 ★") share one
 * row, longer ones (topics) get a row each so they stay readable on a phone.
 */
export function inlineKeyboard(choices: readonly Choice[]): { inline_keyboard: InlineKeyboardButton[][] } {
  const encoder = new TextEncoder();
  const buttons = choices.map((c) => {
    const bytes = encoder.encode(c.id).length;
    if (bytes < 1 || bytes > TELEGRAM_MAX_CALLBACK_DATA_BYTES) {
      throw new RangeError(`choice id must be 1–${TELEGRAM_MAX_CALLBACK_DATA_BYTES} bytes for Telegram callback data`);
    }
    return { text: c.label, callback_data: c.id };
  });
  const short = choices.every((c) => Array.from(c.label).length <= 6);
  return { inline_keyboard: short ? [buttons] : buttons.map((b) => [b]) };
}

/**
 * An outbound message as `sendMessage` calls: an agent's name leads their reply ("Sari: …"), the
 * text is split at 4096 characters on paragraph, line, sentence or word boundaries, and the
 * choices ride on the last part as an inline keyboard.
 */
export function encodeMessage(message: OutboundMessage): TelegramSend[] {
  const text = message.from?.kind === 'agent' ? `${message.from.name}: ${message.text}` : message.text;
  const parts = splitText(text, TELEGRAM_MAX_TEXT);
  if (parts.length === 0) return [];
  const sends: TelegramSend[] = parts.map((part) => ({ text: part }));
  if (message.choices?.length) sends[sends.length - 1]!.reply_markup = inlineKeyboard(message.choices);
  return sends;
}

/** Telegram ⇄ channel-neutral messages (`decode` is `classifyUpdate` without the reasons). */
export const telegramCodec = {
  decode(raw: TelegramUpdate, receivedAt: number): InboundMessage | null {
    const classified = classifyUpdate(raw, receivedAt);
    return classified.kind === 'message' ? classified.inbound : null;
  },
  encode: encodeMessage,
} satisfies ChannelCodec<TelegramUpdate, TelegramSend[]>;
