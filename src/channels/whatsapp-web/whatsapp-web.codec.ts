import { z } from 'zod';
import type { Attachment, InboundMessage, OutboundMessage } from '../../domain/message';
import { splitText } from '../../dialogue/render';
import type { ChannelCapabilities, ChannelCodec } from '../types';

/**
 * The WhatsApp Web channel (Baileys, unofficial), pure half: a Baileys `WAMessage` (from
 * `messages.upsert`) → a customer message, a message typed by a human on the business phone, or a
 * deliberate `ignore`; `OutboundMessage` → plain texts (WhatsApp Web cannot send buttons any more:
 * choices become a numbered menu the customer answers with "1", "2"…). No Baileys import here:
 * the shapes are validated with zod, so this stays pure and testable without the ESM package.
 */
export const WHATSAPP_WEB_CHANNEL = 'whatsapp-web';

/** WhatsApp accepts much longer texts; shorter parts read better on a phone. */
export const WHATSAPP_WEB_MAX_TEXT = 4096;

export const whatsappWebCapabilities: ChannelCapabilities = {
  // Buttons and lists were removed for non-official clients (Baileys #956, #1173): numbered menus.
  buttons: false,
  maxButtons: 0,
  maxButtonLabel: 0,
  maxTextLength: WHATSAPP_WEB_MAX_TEXT,
};

/** The JID suffixes this channel reads. */
export const JID = {
  user: '@s.whatsapp.net',
  lid: '@lid',
  group: '@g.us',
  statusBroadcast: 'status@broadcast',
} as const;

// --- zod schemas for the slice of WAMessage we read (protobuf objects: extra fields pass through) ---

const caption = z.looseObject({ caption: z.string().nullish() });
const innerMessageSchema = z.looseObject({
  conversation: z.string().nullish(),
  extendedTextMessage: z.looseObject({ text: z.string().nullish() }).nullish(),
  imageMessage: caption.nullish(),
  videoMessage: caption.nullish(),
  documentMessage: z.looseObject({ caption: z.string().nullish(), fileName: z.string().nullish() }).nullish(),
  audioMessage: z.looseObject({ ptt: z.boolean().nullish() }).nullish(),
  stickerMessage: z.looseObject({}).nullish(),
  locationMessage: z
    .looseObject({
      degreesLatitude: z.number().nullish(),
      degreesLongitude: z.number().nullish(),
      name: z.string().nullish(),
    })
    .nullish(),
  contactMessage: z.looseObject({ displayName: z.string().nullish() }).nullish(),
  buttonsResponseMessage: z
    .looseObject({ selectedButtonId: z.string().nullish(), selectedDisplayText: z.string().nullish() })
    .nullish(),
  listResponseMessage: z
    .looseObject({
      title: z.string().nullish(),
      singleSelectReply: z.looseObject({ selectedRowId: z.string().nullish() }).nullish(),
    })
    .nullish(),
  templateButtonReplyMessage: z
    .looseObject({ selectedId: z.string().nullish(), selectedDisplayText: z.string().nullish() })
    .nullish(),
  protocolMessage: z.looseObject({}).nullish(),
  reactionMessage: z.looseObject({}).nullish(),
  pollUpdateMessage: z.looseObject({}).nullish(),
  senderKeyDistributionMessage: z.looseObject({}).nullish(),
});
type InnerMessage = z.infer<typeof innerMessageSchema>;

/** Wrappers whose `message` holds the real content (disappearing, view-once, captioned documents). */
const WRAPPERS = [
  'ephemeralMessage',
  'viewOnceMessage',
  'viewOnceMessageV2',
  'viewOnceMessageV2Extension',
  'documentWithCaptionMessage',
  'editedMessage',
] as const;

/** A Baileys `WAMessage`, as far as the channel reads it. */
export const waMessageSchema = z.looseObject({
  key: z.looseObject({
    remoteJid: z.string().nullish(),
    fromMe: z.boolean().nullish(),
    id: z.string().nullish(),
    participant: z.string().nullish(),
    /** v7: the phone-number JID when `remoteJid` is a LID (or the LID when it is a phone number). */
    remoteJidAlt: z.string().nullish(),
    participantAlt: z.string().nullish(),
  }),
  message: z.looseObject({}).nullish(),
  pushName: z.string().nullish(),
  /** Seconds since the epoch (a number or a protobuf Long, which zod sees as an object). */
  messageTimestamp: z.unknown().optional(),
});
export type WaMessage = z.infer<typeof waMessageSchema>;

// --- decoding ---

/** Why a message carries nothing for the bot. Each is a deliberate choice. */
export type IgnoreReason =
  /** Status updates (`status@broadcast`): not a conversation with us. */
  | 'status_broadcast'
  /** Groups (`@g.us`), unless `WHATSAPP_WEB_ALLOW_GROUPS`. */
  | 'group_chat'
  /** Newsletters, broadcast lists and other JIDs that are not a person or a group. */
  | 'not_a_chat'
  /** Protocol messages (deletes, key distribution), reactions, poll votes: nothing to answer. */
  | 'protocol'
  /** No key id or chat: cannot be de-duplicated or answered. */
  | 'malformed'
  /** A kind of content we neither read nor describe. */
  | 'unsupported';

export type WaClassified =
  | {
      kind: 'message';
      /** Where replies go (the JID the message came from). */
      jid: string;
      inbound: InboundMessage;
    }
  | {
      /**
       * Sent from the business number (`fromMe`): our own message echoed back, or one typed by a
       * human on the business phone. The adapter tells them apart by the ids it sent.
       */
      kind: 'from_me';
      jid: string;
      senderId: string;
      messageId: string;
      text: string;
    }
  | { kind: 'ignore'; reason: IgnoreReason };

export interface ClassifyOptions {
  /** Answer in groups too (`WHATSAPP_WEB_ALLOW_GROUPS`); the group is then the conversation. */
  allowGroups?: boolean;
}

/** The user part of a JID without the device suffix: `62812:3@s.whatsapp.net` → `62812`. */
export function jidUser(jid: string): string {
  const at = jid.indexOf('@');
  const user = at < 0 ? jid : jid.slice(0, at);
  return user.split(':')[0]!;
}

/**
 * The customer's stable id on this channel: the phone number (digits, with country code) when
 * the message carries a phone-number JID (`remoteJid`, or `remoteJidAlt`/`participantAlt` when the
 * chat is addressed by LID), else the LID JID itself (`1234567@lid`); a group's JID for groups.
 * The phone number wins whenever it is known, so a customer keeps one conversation.
 */
export function senderIdOf(remoteJid: string, alts: readonly (string | null | undefined)[]): string {
  if (remoteJid.endsWith(JID.group)) return remoteJid;
  if (remoteJid.endsWith(JID.user)) return jidUser(remoteJid);
  const pn = alts.find((j): j is string => !!j && j.endsWith(JID.user));
  if (pn) return jidUser(pn);
  return `${jidUser(remoteJid)}${JID.lid}`;
}

/** The JID to send to for a sender id (`senderIdOf`'s inverse). */
export function jidOfSender(senderId: string): string {
  if (senderId.endsWith(JID.lid) || senderId.endsWith(JID.group)) return senderId;
  return `${senderId}${JID.user}`;
}

/** Unwraps ephemeral / view-once / captioned-document wrappers (a few levels at most). */
export function unwrap(message: Record<string, unknown> | null | undefined): InnerMessage | undefined {
  let current: Record<string, unknown> | undefined = message ?? undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    const wrapper = WRAPPERS.find((w) => {
      const inner = current![w] as { message?: unknown } | null | undefined;
      return inner && typeof inner === 'object' && inner.message && typeof inner.message === 'object';
    });
    if (!wrapper) break;
    current = (current[wrapper] as { message: Record<string, unknown> }).message;
  }
  if (!current) return undefined;
  const parsed = innerMessageSchema.safeParse(current);
  return parsed.success ? parsed.data : undefined;
}

/** What a message says: its text or caption, a reply's choice, or the attachment it carries. */
export function contentOf(m: InnerMessage): { text: string; choice?: string; attachment?: Attachment } | undefined {
  if (m.conversation) return { text: m.conversation };
  if (m.extendedTextMessage?.text) return { text: m.extendedTextMessage.text };
  if (m.imageMessage) return { text: m.imageMessage.caption ?? '', attachment: { kind: 'photo' } };
  if (m.videoMessage) return { text: m.videoMessage.caption ?? '', attachment: { kind: 'video' } };
  if (m.documentMessage) {
    const name = m.documentMessage.fileName;
    return {
      text: m.documentMessage.caption ?? '',
      attachment: name ? { kind: 'document', detail: name } : { kind: 'document' },
    };
  }
  if (m.audioMessage) return { text: '', attachment: { kind: m.audioMessage.ptt ? 'voice' : 'audio' } };
  if (m.stickerMessage) return { text: '', attachment: { kind: 'sticker' } };
  if (m.locationMessage) {
    const l = m.locationMessage;
    const at =
      l.degreesLatitude != null && l.degreesLongitude != null ? `${l.degreesLatitude}, ${l.degreesLongitude}` : '';
    const detail = [l.name, at].filter(Boolean).join(' ');
    return { text: '', attachment: detail ? { kind: 'location', detail } : { kind: 'location' } };
  }
  if (m.contactMessage) {
    const name = m.contactMessage.displayName;
    return { text: '', attachment: name ? { kind: 'contact', detail: name } : { kind: 'contact' } };
  }
  // Replies to old-style buttons and lists (other clients may still send them): the id is the choice.
  const button = m.buttonsResponseMessage ?? undefined;
  if (button?.selectedButtonId) return { text: button.selectedDisplayText ?? '', choice: button.selectedButtonId };
  const template = m.templateButtonReplyMessage ?? undefined;
  if (template?.selectedId) return { text: template.selectedDisplayText ?? '', choice: template.selectedId };
  const list = m.listResponseMessage ?? undefined;
  if (list?.singleSelectReply?.selectedRowId)
    return { text: list.title ?? '', choice: list.singleSelectReply.selectedRowId };
  return undefined;
}

function isProtocol(m: InnerMessage): boolean {
  return (
    !!(m.protocolMessage || m.reactionMessage || m.pollUpdateMessage) ||
    (!!m.senderKeyDistributionMessage && Object.keys(m).filter((k) => m[k] != null).length === 1)
  );
}

/**
 * Classifies one message of a `messages.upsert` batch. `receivedAt` is our clock. The message id
 * for de-duplication is `<chat>:<key.id>` (ids are unique per chat, not globally).
 */
export function classifyMessage(raw: unknown, receivedAt: number, options: ClassifyOptions = {}): WaClassified {
  const parsed = waMessageSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'ignore', reason: 'malformed' };
  const { key, message, pushName } = parsed.data;
  const remoteJid = key.remoteJid;
  if (!remoteJid || !key.id) return { kind: 'ignore', reason: 'malformed' };
  if (remoteJid === JID.statusBroadcast) return { kind: 'ignore', reason: 'status_broadcast' };
  const isGroup = remoteJid.endsWith(JID.group);
  if (isGroup && !options.allowGroups) return { kind: 'ignore', reason: 'group_chat' };
  if (!isGroup && !remoteJid.endsWith(JID.user) && !remoteJid.endsWith(JID.lid)) {
    return { kind: 'ignore', reason: 'not_a_chat' };
  }
  const inner = unwrap(message as Record<string, unknown> | null | undefined);
  if (!inner) return { kind: 'ignore', reason: 'unsupported' };
  if (isProtocol(inner)) return { kind: 'ignore', reason: 'protocol' };
  const content = contentOf(inner);
  if (!content) return { kind: 'ignore', reason: 'unsupported' };

  const senderId = senderIdOf(remoteJid, [key.remoteJidAlt, key.participantAlt]);
  const messageId = `${senderId}:${key.id}`;
  if (key.fromMe) return { kind: 'from_me', jid: remoteJid, senderId, messageId, text: content.text };

  if (!content.text.trim() && !content.attachment && !content.choice) return { kind: 'ignore', reason: 'unsupported' };
  const inbound: InboundMessage = {
    channel: WHATSAPP_WEB_CHANNEL,
    senderId,
    messageId,
    text: content.text,
    receivedAt,
  };
  if (content.choice) inbound.choice = content.choice;
  if (content.attachment) inbound.attachment = content.attachment;
  if (pushName && !isGroup) inbound.customerName = pushName;
  return { kind: 'message', jid: remoteJid, inbound };
}

// --- encoding ---

/**
 * An outbound message as the texts to send: an agent's name leads their reply ("*Sari*: …"),
 * choices (should a caller pass any: the renderer already turns them into a numbered list for
 * channels without buttons) become numbered lines, and long texts are split.
 */
export function encodeMessage(message: OutboundMessage): string[] {
  let text = message.from?.kind === 'agent' ? `*${message.from.name}*: ${message.text}` : message.text;
  if (message.choices?.length) {
    text = `${text}\n${message.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`;
  }
  return splitText(text, WHATSAPP_WEB_MAX_TEXT);
}

/** WhatsApp Web ⇄ channel-neutral messages. */
export const whatsappWebCodec = {
  decode(raw: unknown, receivedAt: number): InboundMessage | null {
    const classified = classifyMessage(raw, receivedAt);
    return classified.kind === 'message' ? classified.inbound : null;
  },
  encode: encodeMessage,
} satisfies ChannelCodec<unknown, string[]>;
