import fs from 'node:fs';
import path from 'node:path';
import {
  chatIdOf,
  classifyDeskUpdate,
  contextPacketText,
  deskNotice,
  topicName,
  TOPIC_NAME_MAX,
} from '../../../src/channels/telegram/desk.codec';
import type { Ticket } from '../../../src/domain/ticket';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fixture = (name: string): any =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/telegram', `${name}.json`), 'utf8'));

/** The recorded topic message with another text. */
function withText(text: string) {
  const u = fixture('desk-topic-message');
  u.message.text = text;
  return u;
}

describe('classifyDeskUpdate', () => {
  test('a plain message in a topic is a reply for the customer, from that Telegram user, in that topic', () => {
    expect(classifyDeskUpdate(fixture('desk-topic-message'))).toEqual({
      kind: 'action',
      topic: { chatId: -1002233445566, threadId: 512 },
      messageId: 3107,
      from: { id: 6120000001, name: 'Budi Hartono' },
      action: { type: 'reply', text: 'Halo Kak, mohon maaf atas ketidaknyamanannya. Saya bantu cek ya.' },
    });
  });

  test.each([
    ['/claim', { type: 'claim' }],
    ['/ambil@majujaya_cs_bot', { type: 'claim' }],
    ['/resolve', { type: 'resolve' }],
    ['/selesai teknisi sudah datang', { type: 'resolve', note: 'teknisi sudah datang' }],
    ['/note pelanggan VIP\nbaris kedua', { type: 'note', text: 'pelanggan VIP\nbaris kedua' }],
    ['/note', { type: 'usage', command: 'note' }],
    ['/transfer Billing tolong cek', { type: 'transfer', team: 'billing' }],
    ['/alihkan', { type: 'usage', command: 'transfer' }],
    ['/help', { type: 'help' }],
    ['/apaini', { type: 'help' }],
    ['  Halo /claim  ', { type: 'reply', text: 'Halo /claim' }],
  ])('%j → %j', (text, action) => {
    expect(classifyDeskUpdate(withText(text))).toMatchObject({ kind: 'action', action });
  });

  test('a photo without text is non-text (only text reaches the customer)', () => {
    const u = withText('');
    delete u.message.text;
    u.message.photo = [{ file_id: 'x', file_unique_id: 'y', width: 1, height: 1 }];
    expect(classifyDeskUpdate(u)).toMatchObject({ kind: 'action', action: { type: 'non_text' } });
  });

  test('the General topic, service messages, bots, edits and button presses are ignored, each for its reason', () => {
    const general = withText('pagi');
    delete general.message.is_topic_message;
    expect(classifyDeskUpdate(general)).toEqual({ kind: 'ignore', reason: 'not_a_topic' });
    expect(classifyDeskUpdate(fixture('desk-topic-created'))).toEqual({ kind: 'ignore', reason: 'from_bot' });
    const closed = withText('');
    delete closed.message.text;
    closed.message.forum_topic_closed = {};
    expect(classifyDeskUpdate(closed)).toEqual({ kind: 'ignore', reason: 'service_message' });
    const edited = withText('x');
    edited.edited_message = edited.message;
    delete edited.message;
    expect(classifyDeskUpdate(edited)).toEqual({ kind: 'ignore', reason: 'edited_message' });
    expect(classifyDeskUpdate({ update_id: 1, callback_query: { id: 'q' } })).toEqual({
      kind: 'ignore',
      reason: 'unsupported',
    });
  });

  test('chatIdOf finds the chat of messages, edits and button presses', () => {
    expect(chatIdOf(fixture('desk-topic-message'))).toBe(-1002233445566);
    expect(chatIdOf(fixture('private-text'))).toBe(5551234567);
    expect(chatIdOf({ update_id: 1, callback_query: { id: 'q', message: { chat: { id: -5 } } } })).toBe(-5);
    expect(chatIdOf({ update_id: 1 })).toBeUndefined();
  });
});

const ticket: Ticket = {
  id: 't1',
  number: 'MJ-000042',
  conversationId: 'telegram:5551234567',
  channel: 'telegram',
  senderId: '5551234567',
  customerName: 'Budi Santoso',
  locale: 'id',
  category: 'complaint',
  team: 'supervisor',
  priority: 1,
  status: 'new',
  createdAt: 0,
  slaDeadline: 3_600_000,
  context: {
    category: 'complaint',
    intent: 'complaint_service',
    confidence: 0.62,
    ranking: [
      { intent: 'complaint_service', confidence: 0.62 },
      { intent: 'technician_visit', confidence: 0.21 },
      { intent: 'order_status', confidence: 0.05 },
    ],
    rule: 'handoff:complaint_tone',
    originalText: 'teknisi tidak datang',
    clarification: { question: 'Maksudnya yang mana?', options: ['Keluhan', 'Jadwal teknisi'], answer: 'Keluhan' },
  },
  messages: [
    { at: 0, from: 'customer', text: 'teknisi tidak datang <b>lagi</b>' },
    { at: 1, from: 'bot', text: 'Mohon maaf, kami teruskan ke supervisor.' },
  ],
  history: [],
  notes: [],
  updatedAt: 0,
};

describe('what the desk posts', () => {
  test('the topic name is number · category · customer, at most 128 characters, an emoji never split', () => {
    expect(topicName(ticket)).toBe('MJ-000042 · complaint · Budi Santoso');
    expect(topicName({ ...ticket, customerName: undefined })).toBe('MJ-000042 · complaint · 5551234567');
    const long = topicName({ ...ticket, customerName: `${'🙂'.repeat(200)}` });
    expect(Array.from(long)).toHaveLength(TOPIC_NAME_MAX);
    expect(long.endsWith('…')).toBe(true);
    expect(long).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  test('the context packet: category, intent and confidence, runner-ups, rule, clarification, deadline, transcript as plain text', () => {
    const text = contextPacketText(ticket, 'hari ini pukul 10.00 WIB');
    expect(text.split('\n').slice(0, 9)).toEqual([
      '🎫 MJ-000042 · complaint · tim / team supervisor',
      'Pelanggan / Customer: Budi Santoso (telegram 5551234567)',
      'Maksud / Intent: complaint_service (62%)',
      'Kandidat lain / Runner-ups: technician_visit (21%), order_status (5%)',
      'Aturan / Rule: handoff:complaint_tone',
      'Klarifikasi / Clarification: Maksudnya yang mana? [Keluhan | Jadwal teknisi] → Keluhan',
      'Batas respons pertama / First response by: hari ini pukul 10.00 WIB',
      'Status: new',
      '',
    ]);
    expect(text).toContain('Pelanggan: teknisi tidak datang <b>lagi</b>');
    expect(text).toContain('Bot: Mohon maaf');
  });

  test('the context packet says who has the ticket when it was taken before the topic existed', () => {
    const text = contextPacketText(
      { ...ticket, status: 'in_progress', assignee: 'sari' },
      'hari ini pukul 10.00 WIB',
      'Sari',
    );
    expect(text).toContain('\nStatus: in_progress · ditangani / handled by Sari\n');
  });

  test('notices are Indonesian first, English too', () => {
    expect(deskNotice({ kind: 'claimed', by: 'Budi' })).toBe('🙋 Diambil oleh Budi · Taken by Budi');
    expect(deskNotice({ kind: 'not_mapped', telegramId: 42 })).toMatch(/^🙏 Maaf.*ID 42.*Sorry/);
  });
});
