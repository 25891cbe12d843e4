import { z } from 'zod';
import type { Attachment, AttachmentKind, InboundMessage, OutboundMessage } from '../../domain/message';
import { splitText } from '../../dialogue/render';
import type { ChannelCapabilities } from '../types';

/**
 * The pure half of the WhatsApp Cloud API channel: Meta's webhook payloads → channel-neutral
 * messages and delivery statuses, and `OutboundMessage`s → Graph API send bodies. No I/O here;
 * `whatsapp-cloud.adapter.ts` sends, the webhook route checks signatures.
 */

/** The channel's name in conversation ids and tickets (`whatsapp:<wa_id>`). */
export const WHATSAPP_CLOUD_CHANNEL = 'whatsapp';
/** Longest text body WhatsApp accepts. */
export const WHATSAPP_MAX_TEXT = 4096;
/** Longest body of an interactive (buttons or list) message. */
export const WHATSAPP_MAX_INTERACTIVE_BODY = 1024;
/** Reply buttons per message, and the longest button title. */
export const WHATSAPP_MAX_REPLY_BUTTONS = 3;
export const WHATSAPP_MAX_BUTTON_TITLE = 20;
/** Rows of a list message, the longest row title, and the longest button / row id. */
export const WHATSAPP_MAX_LIST_ROWS = 10;
export const WHATSAPP_MAX_ROW_TITLE = 24;
export const WHATSAPP_MAX_CHOICE_ID = 200;
/** The customer-service window: free-form messages only within 24 h of the customer's last message. */
export const WHATSAPP_SERVICE_WINDOW_MS = 24 * 60 * 60_000;

/**
 * Up to three choices go out as reply buttons, up to ten as a list; labels must fit a button
 * title (20), the stricter of the two limits.
 */
export const whatsappCloudCapabilities: ChannelCapabilities = {
  buttons: true,
  maxButtons: WHATSAPP_MAX_LIST_ROWS,
  maxButtonLabel: WHATSAPP_MAX_BUTTON_TITLE,
  maxTextLength: WHATSAPP_MAX_TEXT,
};

const mediaSchema = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

const messageSchema = z.looseObject({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().optional(),
  type: z.string(),
  text: z.looseObject({ body: z.string() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  button: z.looseObject({ text: z.string(), payload: z.string().optional() }).optional(),
  image: mediaSchema.optional(),
  document: mediaSchema.optional(),
  video: mediaSchema.optional(),
  audio: z.looseObject({ id: z.string().optional(), voice: z.boolean().optional() }).optional(),
  sticker: z.looseObject({ id: z.string().optional() }).optional(),
  location: z
    .looseObject({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  contacts: z
    .array(z.looseObject({ name: z.looseObject({ formatted_name: z.string().optional() }).optional() }))
    .optional(),
});

const statusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().min(1),
  errors: z
    .array(z.looseObject({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() }))
    .optional(),
});

/** Meta's webhook body (`object: whatsapp_business_account`), as much of it as we read. */
export const whatsappWebhookSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      id: z.string().optional(),
      changes: z.array(
        z.looseObject({
          field: z.string(),
          value: z.looseObject({
            metadata: z.looseObject({ phone_number_id: z.string().optional() }).optional(),
            contacts: z
              .array(z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string() }).optional() }))
              .optional(),
            messages: z.array(messageSchema).optional(),
            statuses: z.array(statusSchema).optional(),
          }),
        }),
      ),
    }),
  ),
});
export type WhatsAppWebhook = z.infer<typeof whatsappWebhookSchema>;
type CloudMessage = z.infer<typeof messageSchema>;

/** What happened to a message we sent, as Meta reports it. */
export interface DeliveryStatus {
  /** Our outbound message's `wamid`. */
  messageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | 'other';
  /** The customer's wa_id. */
  recipient: string;
  /** When Meta says it happened (ms; from the event's `timestamp` in seconds), when it says. */
  at?: number;
  /** Meta's error code and title, for `failed` (e.g. `131047 Re-engagement message`). */
  reason?: string;
}

/** The customer messages and delivery statuses in one webhook body, in order. */
export interface DecodedWebhook {
  messages: InboundMessage[];
  statuses: DeliveryStatus[];
}

/**
 * Decodes a schema-valid webhook body. Messages for another phone number id than ours (one app can
 * serve several numbers) and reactions are left out; every other message type becomes an
 * `InboundMessage`: text, a tapped button or list row (`choice`), media with its caption (the
 * media id as `attachment.ref`), a location or a contact card (described), anything else as
 * `other` (the engine asks the customer to type).
 */
export function decodeWebhook(body: WhatsAppWebhook, receivedAt: number, phoneNumberId?: string): DecodedWebhook {
  const out: DecodedWebhook = { messages: [], statuses: [] };
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = change.value;
      const ours = value.metadata?.phone_number_id;
      if (phoneNumberId && ours && ours !== phoneNumberId) continue;
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const message of value.messages ?? []) {
        const inbound = decodeMessage(message, receivedAt, names.get(message.from));
        if (inbound) out.messages.push(inbound);
      }
      for (const s of value.statuses ?? []) {
        const known = ['sent', 'delivered', 'read', 'failed'] as const;
        const status = (known as readonly string[]).includes(s.status)
          ? (s.status as DeliveryStatus['status'])
          : 'other';
        const error = s.errors?.[0];
        const seconds = Number(s.timestamp);
        out.statuses.push({
          messageId: s.id,
          status,
          recipient: s.recipient_id,
          ...(s.timestamp && Number.isFinite(seconds) ? { at: seconds * 1000 } : {}),
          ...(error ? { reason: [error.code, error.title].filter((p) => p !== undefined).join(' ') } : {}),
        });
      }
    }
  }
  return out;
}

function decodeMessage(m: CloudMessage, receivedAt: number, customerName?: string): InboundMessage | null {
  const base = {
    channel: WHATSAPP_CLOUD_CHANNEL,
    senderId: m.from,
    messageId: m.id,
    receivedAt,
    ...(customerName ? { customerName } : {}),
  };
  switch (m.type) {
    case 'text':
      return { ...base, text: m.text?.body ?? '' };
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return reply ? { ...base, text: '', choice: reply.id } : { ...base, text: '', attachment: { kind: 'other' } };
    }
    case 'button':
      // A quick-reply button of a template: its text is what the customer "said".
      return { ...base, text: m.button?.text ?? '' };
    case 'reaction':
      return null;
    default: {
      const attachment = attachmentOf(m);
      const caption = m.image?.caption ?? m.document?.caption ?? m.video?.caption ?? '';
      return { ...base, text: caption, attachment };
    }
  }
}

/** Non-text content, described for the agent; media keep Meta's media id to fetch them later. */
function attachmentOf(m: CloudMessage): Attachment {
  const media = (kind: AttachmentKind, file: z.infer<typeof mediaSchema>): Attachment => ({
    kind,
    ref: file.id,
    ...(file.mime_type ? { mimeType: file.mime_type } : {}),
    ...(file.filename ? { fileName: file.filename, detail: file.filename } : {}),
  });
  if (m.type === 'image' && m.image) return media('photo', m.image);
  if (m.type === 'document' && m.document) return media('document', m.document);
  if (m.type === 'video' && m.video) return media('video', m.video);
  if (m.type === 'audio')
    return { kind: m.audio?.voice ? 'voice' : 'audio', ...(m.audio?.id ? { ref: m.audio.id } : {}) };
  if (m.type === 'sticker') return { kind: 'sticker' };
  if (m.type === 'location' && m.location) {
    const { latitude, longitude, name } = m.location;
    return { kind: 'location', detail: `${latitude}, ${longitude}${name ? ` (${name})` : ''}` };
  }
  if (m.type === 'contacts') {
    const name = m.contacts?.[0]?.name?.formatted_name;
    return name ? { kind: 'contact', detail: name } : { kind: 'contact' };
  }
  return { kind: 'other' };
}

/** One Graph API send body (`POST /<phone-number-id>/messages`). */
export type SendBody = Record<string, unknown> & { messaging_product: 'whatsapp'; to: string; type: string };

/**
 * An outbound message as send bodies: plain text, split at WhatsApp's 4096 characters (bot
 * replies come straight here; the registry has already split agents' replies, so for them this is
 * a no-op), or, with choices, an interactive message after the text's earlier parts: reply buttons
 * for up to three, a list for up to ten (the body of an interactive message is limited to 1024
 * characters, so a longer question goes first as text and the choices follow with a short prompt).
 */
export function encodeMessage(to: string, message: OutboundMessage, listButton = 'Pilih'): SendBody[] {
  const textBody = (body: string): SendBody => ({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'text',
    text: { body },
  });
  const parts = splitText(senderPrefix(message) + message.text, WHATSAPP_MAX_TEXT);
  const choices = message.choices ?? [];
  if (choices.length === 0) return parts.map(textBody);
  const bodies = parts.slice(0, -1).map(textBody);
  let body = parts.at(-1) ?? '👇';
  if (body.length > WHATSAPP_MAX_INTERACTIVE_BODY) {
    bodies.push(textBody(body));
    body = '👇';
  }
  const id = (raw: string) => raw.slice(0, WHATSAPP_MAX_CHOICE_ID);
  const interactive =
    choices.length <= WHATSAPP_MAX_REPLY_BUTTONS
      ? {
          type: 'button',
          body: { text: body },
          action: {
            buttons: choices.map((c) => ({
              type: 'reply',
              reply: { id: id(c.id), title: cut(c.label, WHATSAPP_MAX_BUTTON_TITLE) },
            })),
          },
        }
      : {
          type: 'list',
          body: { text: body },
          action: {
            button: cut(listButton, WHATSAPP_MAX_BUTTON_TITLE),
            sections: [
              {
                rows: choices.slice(0, WHATSAPP_MAX_LIST_ROWS).map((c) => ({
                  id: id(c.id),
                  title: cut(c.label, WHATSAPP_MAX_ROW_TITLE),
                })),
              },
            ],
          },
        };
  bodies.push({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'interactive', interactive });
  return bodies;
}

/**
 * The approved template that reopens a conversation after the 24-hour window, carrying `text`
 * (the agent's reply, the CSAT question) as its one body parameter. Template parameters may not
 * hold newlines or long runs of spaces, so they are folded.
 */
export function encodeTemplate(to: string, template: { name: string; language: string }, text: string): SendBody {
  const parameter = text
    .replace(/\s*\n\s*/g, ' · ')
    .replace(/ {4,}/g, '   ')
    .slice(0, WHATSAPP_MAX_INTERACTIVE_BODY);
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [{ type: 'body', parameters: [{ type: 'text', text: parameter }] }],
    },
  };
}

/**
 * Whether free-form messages may still be sent: the customer wrote within the last 24 hours.
 * `lastCustomerAt` undefined (they never wrote, or we do not know when) counts as closed.
 */
export function serviceWindowOpen(lastCustomerAt: number | undefined, now: number): boolean {
  return lastCustomerAt !== undefined && now - lastCustomerAt < WHATSAPP_SERVICE_WINDOW_MS;
}

/** Agents' messages carry their name, as on the other channels: `*Sari*: …` (WhatsApp bold). */
function senderPrefix(message: OutboundMessage): string {
  return message.from?.kind === 'agent' ? `*${message.from.name}*: ` : '';
}

function cut(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
