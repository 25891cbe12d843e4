import { z } from 'zod';
import type { Turn } from '../../domain/conversation';
import type { Ticket } from '../../domain/ticket';
import type { DeskTopic } from '../../store/types';

/**
 * The Telegram agents' desk, pure half. Agents work handoffs in a supergroup with forum topics:
 * one topic per ticket. This file reads what an agent wrote in a topic (`classifyDeskUpdate`: a
 * reply for the customer, or `/claim`, `/resolve`, `/note`, `/transfer`) and writes what the bot
 * posts there (`topicName`, `contextPacketText`, `deskNotice`). Everything it produces is sent as
 * plain text (no `parse_mode`), so customer text needs no escaping and can never format anything.
 * The adapter (`desk.adapter.ts`) does the I/O.
 */

/** Telegram's limit for a topic name: <https://core.telegram.org/bots/api#createforumtopic>. */
export const TOPIC_NAME_MAX = 128;
/** How many recent transcript turns the context packet shows (the console has the whole ticket). */
export const PACKET_TURNS = 20;

const deskUserSchema = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
});

const deskMessageSchema = z.looseObject({
  message_id: z.number().int(),
  chat: z.looseObject({ id: z.number().int(), type: z.string() }),
  from: deskUserSchema.optional(),
  text: z.string().optional(),
  /** The topic a message belongs to; also set on replies in the General topic, hence `is_topic_message`. */
  message_thread_id: z.number().int().optional(),
  is_topic_message: z.boolean().optional(),
});

/** The parts of an update in the agents' group the desk reads. */
export const deskUpdateSchema = z.looseObject({
  update_id: z.number().int(),
  message: deskMessageSchema.optional(),
  edited_message: deskMessageSchema.optional(),
  callback_query: z.looseObject({ id: z.string() }).optional(),
});

/** Service messages (the topic was created, closed, renamed; members joined): not an agent's words. */
const SERVICE_FIELDS = [
  'forum_topic_created',
  'forum_topic_closed',
  'forum_topic_reopened',
  'forum_topic_edited',
  'general_forum_topic_hidden',
  'general_forum_topic_unhidden',
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'pinned_message',
  'migrate_from_chat_id',
];

/** What an agent asked for in a topic. */
export type DeskAction =
  /** A plain message: send it to the customer as this agent. */
  | { type: 'reply'; text: string }
  | { type: 'claim' }
  | { type: 'resolve'; note?: string }
  /** An internal note: kept on the ticket, never sent to the customer. */
  | { type: 'note'; text: string }
  | { type: 'transfer'; team: string }
  | { type: 'help' }
  /** A command without what it needs (`/note` without text, `/transfer` without a team). */
  | { type: 'usage'; command: 'note' | 'transfer' }
  /** A photo, voice, sticker…: only text reaches the customer from the desk. */
  | { type: 'non_text' };

/** Why an update in the agents' group is not work on a ticket. Each is deliberate. */
export type DeskIgnoreReason =
  /** Outside any topic (the General topic): the desk's topics are per ticket. */
  | 'not_a_topic'
  /** The bot's own posts, other bots. */
  | 'from_bot'
  /** An edit of a message already handled: the customer cannot be un-sent a reply. */
  | 'edited_message'
  /** A topic created/closed, someone joined, a pin… */
  | 'service_message'
  /** Button presses and update kinds the desk does not use. */
  | 'unsupported';

export type DeskClassified =
  | {
      kind: 'action';
      topic: DeskTopic;
      /** The agent's message, for replying to it. */
      messageId: number;
      /** The Telegram user: mapped to a console user by `TELEGRAM_AGENTS`. */
      from: { id: number; name: string };
      action: DeskAction;
    }
  | { kind: 'ignore'; reason: DeskIgnoreReason };

const COMMANDS: Record<string, 'claim' | 'resolve' | 'note' | 'transfer' | 'help'> = {
  claim: 'claim',
  ambil: 'claim',
  resolve: 'resolve',
  selesai: 'resolve',
  note: 'note',
  catatan: 'note',
  transfer: 'transfer',
  alihkan: 'transfer',
  help: 'help',
  bantuan: 'help',
};

const COMMAND_PATTERN = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+([\s\S]*))?$/;

/** The chat an update of the agents' group happened in (for routing before the customer codec). */
export function chatIdOf(update: unknown): number | undefined {
  const parsed = z
    .looseObject({
      message: z.looseObject({ chat: z.looseObject({ id: z.number() }) }).optional(),
      edited_message: z.looseObject({ chat: z.looseObject({ id: z.number() }) }).optional(),
      callback_query: z
        .looseObject({ message: z.looseObject({ chat: z.looseObject({ id: z.number() }) }).optional() })
        .optional(),
    })
    .safeParse(update);
  if (!parsed.success) return undefined;
  const u = parsed.data;
  return u.message?.chat.id ?? u.edited_message?.chat.id ?? u.callback_query?.message?.chat.id;
}

/** Reads one update of the agents' group: an agent's action in a ticket's topic, or why not. */
export function classifyDeskUpdate(update: unknown): DeskClassified {
  const parsed = deskUpdateSchema.safeParse(update);
  if (!parsed.success) return { kind: 'ignore', reason: 'unsupported' };
  const u = parsed.data;
  if (u.edited_message) return { kind: 'ignore', reason: 'edited_message' };
  const message = u.message;
  if (!message) return { kind: 'ignore', reason: 'unsupported' };
  if (!message.from || message.from.is_bot) return { kind: 'ignore', reason: 'from_bot' };
  if (SERVICE_FIELDS.some((field) => field in message)) return { kind: 'ignore', reason: 'service_message' };
  if (message.is_topic_message !== true || message.message_thread_id === undefined) {
    return { kind: 'ignore', reason: 'not_a_topic' };
  }
  const from = {
    id: message.from.id,
    name: [message.from.first_name, message.from.last_name].filter(Boolean).join(' '),
  };
  const base = {
    kind: 'action' as const,
    topic: { chatId: message.chat.id, threadId: message.message_thread_id },
    messageId: message.message_id,
    from,
  };
  const text = message.text?.trim();
  if (!text) return { ...base, action: { type: 'non_text' } };
  return { ...base, action: readAction(text) };
}

function readAction(text: string): DeskAction {
  const match = COMMAND_PATTERN.exec(text);
  if (!match) return { type: 'reply', text };
  const command = COMMANDS[match[1]!.toLowerCase()];
  const argument = (match[2] ?? '').trim();
  switch (command) {
    case 'claim':
      return { type: 'claim' };
    case 'resolve':
      return argument ? { type: 'resolve', note: argument } : { type: 'resolve' };
    case 'note':
      return argument ? { type: 'note', text: argument } : { type: 'usage', command: 'note' };
    case 'transfer': {
      const team = argument.split(/\s+/)[0]?.toLowerCase();
      return team ? { type: 'transfer', team } : { type: 'usage', command: 'transfer' };
    }
    default:
      // `/help`, and any other `/word`: a reply starting with a slash is almost surely a typo.
      return { type: 'help' };
  }
}

/** Cuts to `max` characters (code points, so an emoji is never split), with an ellipsis when cut. */
function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The topic's name: `<ticket number> · <category> · <customer name or id>`, at most 128 characters. */
export function topicName(ticket: Pick<Ticket, 'number' | 'category' | 'customerName' | 'senderId'>): string {
  const customer = ticket.customerName?.trim() || ticket.senderId;
  return cut(`${ticket.number} · ${ticket.category} · ${customer}`.replace(/\s+/g, ' '), TOPIC_NAME_MAX);
}

const pct = (confidence: number) => `${Math.round(confidence * 100)}%`;
const speaker: Record<Turn['from'], string> = { customer: 'Pelanggan', bot: 'Bot', agent: 'Agen', system: 'Sistem' };

/**
 * The topic's first post: everything an agent needs before answering (Indonesian labels, English
 * after the slash). `deadline` is the formatted first-response deadline ("hari ini pukul 14.00 WIB").
 */
export function contextPacketText(ticket: Ticket, deadline: string, owner?: string): string {
  const c = ticket.context;
  const lines = [
    `🎫 ${ticket.number} · ${ticket.category} · tim / team ${ticket.team}`,
    `Pelanggan / Customer: ${ticket.customerName ?? '-'} (${ticket.channel} ${ticket.senderId})`,
    `Maksud / Intent: ${c.intent ?? '-'}${c.confidence !== null ? ` (${pct(c.confidence)})` : ''}`,
  ];
  const others = c.ranking.filter((r) => r.intent !== c.intent).slice(0, 3);
  if (others.length > 0) {
    lines.push(`Kandidat lain / Runner-ups: ${others.map((r) => `${r.intent} (${pct(r.confidence)})`).join(', ')}`);
  }
  lines.push(`Aturan / Rule: ${c.rule}`);
  if (c.clarification) {
    lines.push(
      `Klarifikasi / Clarification: ${c.clarification.question} [${c.clarification.options.join(' | ')}] → ${c.clarification.answer}`,
    );
  }
  if (c.verification) {
    const fields = Object.entries(c.verification.fields).map(([k, v]) => `${k}=${v}`);
    lines.push(
      `Verifikasi / Verification: ${c.verification.verified ? 'lengkap / complete' : 'belum / incomplete'}${fields.length ? ` (${fields.join(', ')})` : ''}`,
    );
  }
  lines.push(`Batas respons pertama / First response by: ${deadline}`);
  lines.push(`Status: ${ticket.status}${owner ? ` · ditangani / handled by ${owner}` : ''}`);
  lines.push('', 'Percakapan / Transcript:');
  const turns = ticket.messages.slice(-PACKET_TURNS);
  if (ticket.messages.length > turns.length)
    lines.push(`(… ${ticket.messages.length - turns.length} sebelumnya / earlier)`);
  for (const turn of turns)
    lines.push(`${turn.from === 'agent' ? (turn.agent ?? 'Agen') : speaker[turn.from]}: ${turn.text}`);
  lines.push('', DESK_HELP);
  return lines.join('\n');
}

/** How to work a ticket from its topic (posted with the context packet and on `/help`). */
export const DESK_HELP = [
  'Pesan biasa = balasan ke pelanggan · /claim ambil · /note <teks> catatan internal · /transfer <tim> · /resolve selesai',
  'A plain message = reply to the customer · /claim · /note <text> (internal) · /transfer <team> · /resolve',
].join('\n');

/** A customer's message on the ticket, as posted into its topic. */
export function customerPostText(ticket: Pick<Ticket, 'customerName'>, text: string): string {
  return `👤 ${ticket.customerName ?? 'Pelanggan / Customer'}:\n${text}`;
}

/** What the desk says in a topic; Indonesian first, English after. */
export type DeskNotice =
  | { kind: 'claimed'; by: string }
  | { kind: 'assigned'; to: string }
  | { kind: 'transferred_team'; team: string; by: string }
  | { kind: 'transferred_agent'; to: string; by: string }
  | { kind: 'status'; status: string; by: string }
  | { kind: 'requeued' }
  | { kind: 'resolved'; by: string }
  | { kind: 'cancelled' }
  | { kind: 'reopened' }
  | { kind: 'note'; by: string; text?: string }
  | { kind: 'console_reply'; by: string; text: string }
  | { kind: 'csat'; score: number }
  | { kind: 'delivery_failed'; text: string }
  | { kind: 'sla_breached' }
  /** Someone else owns the ticket; `reply`: the refused action was a message for the customer. */
  | { kind: 'taken_by_other'; owner: string; reply: boolean }
  | { kind: 'cannot'; status: string }
  | { kind: 'unknown_team'; team: string; teams: string[] }
  | { kind: 'not_mapped'; telegramId: number }
  | { kind: 'not_allowed'; username: string }
  | { kind: 'non_text' }
  | { kind: 'usage'; command: 'note' | 'transfer'; teams: string[] }
  | { kind: 'help' }
  | { kind: 'failed' };

const STATUS_NAMES: Record<string, string> = {
  new: 'menunggu di antrean / waiting in the queue',
  in_progress: 'sedang ditangani / in progress',
  waiting_customer: 'menunggu pelanggan / waiting for the customer',
  escalated: 'dieskalasi / escalated',
  resolved: 'selesai / resolved',
};

export function deskNotice(n: DeskNotice): string {
  switch (n.kind) {
    case 'claimed':
      return `🙋 Diambil oleh ${n.by} · Taken by ${n.by}`;
    case 'assigned':
      return `🙋 Ditugaskan otomatis ke ${n.to} · Auto-assigned to ${n.to}`;
    case 'transferred_team':
      return `↪️ Dialihkan ke tim ${n.team} oleh ${n.by} · Transferred to team ${n.team} by ${n.by}`;
    case 'transferred_agent':
      return `↪️ Dialihkan ke ${n.to} oleh ${n.by} · Transferred to ${n.to} by ${n.by}`;
    case 'status':
      return `🔄 Status: ${STATUS_NAMES[n.status] ?? n.status} (${n.by})`;
    case 'requeued':
      return '↩️ Agen offline: tiket kembali ke antrean · The agent went offline: back in the queue';
    case 'resolved':
      return `✅ Diselesaikan oleh ${n.by}; pelanggan diminta menilai layanan. Topik ditutup. · Resolved by ${n.by}; the customer is asked for a rating. Topic closed.`;
    case 'cancelled':
      return '✖️ Dibatalkan oleh pelanggan. Topik ditutup. · Cancelled by the customer. Topic closed.';
    case 'reopened':
      return '🔁 Pelanggan menulis lagi: tiket dibuka kembali · The customer wrote again: ticket reopened';
    case 'note':
      return n.text === undefined
        ? `📝 Catatan internal disimpan (tidak dikirim ke pelanggan) · Internal note saved (not sent to the customer)`
        : `📝 Catatan internal dari ${n.by} / Internal note by ${n.by}:\n${n.text}`;
    case 'console_reply':
      return `💬 ${n.by} (konsol / console) → pelanggan / customer:\n${n.text}`;
    case 'csat':
      return `⭐ Penilaian pelanggan / Customer rating: ${n.score}/5`;
    case 'delivery_failed':
      return `⚠️ ${n.text}`;
    case 'sla_breached':
      return '⏰ Batas respons pertama terlewati · First-response deadline missed';
    case 'taken_by_other':
      return n.reply
        ? `⛔ Tiket ini sedang ditangani oleh ${n.owner}; pesan Anda TIDAK dikirim ke pelanggan. · ${n.owner} owns this ticket; your message was NOT sent to the customer.`
        : `⛔ Tiket ini sedang ditangani oleh ${n.owner}. · ${n.owner} owns this ticket.`;
    case 'cannot':
      return `⛔ Tidak bisa: tiket berstatus ${STATUS_NAMES[n.status] ?? n.status}. · Not possible: the ticket is ${n.status}.`;
    case 'unknown_team':
      return `⛔ Tim "${n.team}" tidak dikenal. Tim: ${n.teams.join(', ')} · Unknown team "${n.team}". Teams: ${n.teams.join(', ')}`;
    case 'not_mapped':
      return `🙏 Maaf, akun Telegram Anda (ID ${n.telegramId}) belum terhubung ke akun konsol, jadi belum bisa menangani tiket di sini. Minta admin menambahkannya ke TELEGRAM_AGENTS. · Sorry, your Telegram account (ID ${n.telegramId}) is not linked to a console account yet; ask an admin to add it to TELEGRAM_AGENTS.`;
    case 'not_allowed':
      return `🙏 Maaf, akun konsol "${n.username}" tidak aktif atau tidak boleh menangani tiket. · Sorry, the console account "${n.username}" is disabled or may not work tickets.`;
    case 'non_text':
      return 'ℹ️ Hanya teks yang dikirim ke pelanggan dari sini; pesan ini tidak dikirim. · Only text reaches the customer from here; this was not sent.';
    case 'usage':
      return n.command === 'note'
        ? 'ℹ️ Tulis: /note <teks catatan> · Write: /note <note text>'
        : `ℹ️ Tulis: /transfer <tim> · Write: /transfer <team>. Tim / Teams: ${n.teams.join(', ')}`;
    case 'help':
      return DESK_HELP;
    case 'failed':
      return '⚠️ Gagal diproses; coba lagi atau gunakan konsol. · That failed; try again or use the console.';
  }
}
