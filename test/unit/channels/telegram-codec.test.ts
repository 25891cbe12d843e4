/**
 * The Telegram codec on recorded Update payloads (`test/fixtures/telegram/*.json`): what becomes a
 * customer message, what is ignored and why, and how replies become `sendMessage` calls.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  classifyUpdate,
  encodeMessage,
  inlineKeyboard,
  localeFromLanguageCode,
  parseCommand,
  TELEGRAM_MAX_TEXT,
  telegramCodec,
  telegramUpdateSchema,
  type TelegramUpdate,
} from '../../../src/channels/telegram/telegram.codec';

const AT = 1_736_128_800_000;

function fixture(name: string): TelegramUpdate {
  const raw: unknown = JSON.parse(
    fs.readFileSync(path.join(__dirname, '../../fixtures/telegram', `${name}.json`), 'utf8'),
  );
  return telegramUpdateSchema.parse(raw);
}

describe('decoding updates', () => {
  test('a private text message: chat id as sender, chat:message id for dedup, name and language hint', () => {
    expect(classifyUpdate(fixture('private-text'), AT)).toEqual({
      kind: 'message',
      chatId: 5551234567,
      inbound: {
        channel: 'telegram',
        senderId: '5551234567',
        messageId: '5551234567:101',
        text: 'jam buka toko brp kak?',
        customerName: 'Budi Santoso',
        localeHint: 'id',
        receivedAt: AT,
      },
    });
  });

  test('/start from an English app: the command and the English hint', () => {
    const c = classifyUpdate(fixture('start-en'), AT);
    expect(c).toMatchObject({ kind: 'message', inbound: { command: 'start', localeHint: 'en', text: '/start' } });
  });

  test('a button press: the callback data is the choice, the query id must be answered', () => {
    const c = classifyUpdate(fixture('callback-query'), AT);
    expect(c).toEqual({
      kind: 'message',
      chatId: 5551234567,
      callbackQueryId: '4382bfdwdsb323b2d9',
      keyboardMessageId: 102,
      inbound: {
        channel: 'telegram',
        senderId: '5551234567',
        messageId: 'cb:4382bfdwdsb323b2d9',
        text: '',
        choice: 'c1',
        customerName: 'Budi Santoso',
        localeHint: 'id',
        receivedAt: AT,
      },
    });
  });

  test('a photo with a caption: the caption is the text, the photo an attachment', () => {
    const c = classifyUpdate(fixture('photo-caption'), AT);
    expect(c).toMatchObject({
      kind: 'message',
      inbound: { text: expect.stringContaining('error E02'), attachment: { kind: 'photo' } },
    });
  });

  test('the photo keeps the file of its largest size, whatever order the sizes come in', () => {
    const u = fixture('photo-caption');
    const large = {
      kind: 'photo',
      ref: 'AgACAgUAAxkBAAIBZ2d8aW1hZ2UtbGFyZ2U',
      uniqueRef: 'AQADlarge',
      mimeType: 'image/jpeg',
      size: 84712,
    };
    expect(classifyUpdate(u, AT)).toMatchObject({ inbound: { attachment: large } });
    u.message!.photo!.reverse();
    expect(classifyUpdate(u, AT)).toMatchObject({ inbound: { attachment: large } });
  });

  test('a document keeps its file id, name, type and size (all as the customer app sent them)', () => {
    const u = fixture('private-text');
    delete u.message!.text;
    u.message!.caption = 'struk kak';
    u.message!.document = {
      file_id: 'BQACAgdoc',
      file_unique_id: 'AgADdoc',
      file_name: 'struk.pdf',
      mime_type: 'application/pdf',
      file_size: 5120,
    };
    expect(classifyUpdate(u, AT)).toMatchObject({
      inbound: {
        text: 'struk kak',
        attachment: {
          kind: 'document',
          detail: 'struk.pdf',
          ref: 'BQACAgdoc',
          uniqueRef: 'AgADdoc',
          fileName: 'struk.pdf',
          mimeType: 'application/pdf',
          size: 5120,
        },
      },
    });
  });

  test('a location or a contact has no file to fetch', () => {
    for (const name of ['location', 'contact']) {
      const c = classifyUpdate(fixture(name), AT);
      expect(c.kind === 'message' && c.inbound.attachment?.ref).toBeUndefined();
    }
  });

  test.each([
    ['voice', { kind: 'voice', ref: 'AwACAgUAAxkBAAIBaGd8dm9pY2U', mimeType: 'audio/ogg', size: 28411 }],
    ['sticker', { kind: 'sticker', detail: '👍' }],
    ['location', { kind: 'location', detail: '-6.893811, 107.604382' }],
    ['contact', { kind: 'contact', detail: 'Budi Santoso +6281200000000' }],
  ])('%s: no text, an attachment the agent can read', (name, attachment) => {
    const c = classifyUpdate(fixture(name), AT);
    expect(c).toMatchObject({ kind: 'message', inbound: { text: '', attachment } });
  });

  test.each([
    ['edited-message', 'edited_message'],
    ['group-message', 'group_chat'],
    ['channel-post', 'channel_post'],
  ])('%s is ignored deliberately (%s)', (name, reason) => {
    expect(classifyUpdate(fixture(name), AT)).toEqual({ kind: 'ignore', reason });
    expect(telegramCodec.decode(fixture(name), AT)).toBeNull();
  });

  test('update kinds we do not read, bots and service messages are ignored', () => {
    expect(classifyUpdate({ update_id: 1 }, AT)).toEqual({ kind: 'ignore', reason: 'unsupported' });
    const text = fixture('private-text');
    const fromBot = { ...text, message: { ...text.message!, from: { ...text.message!.from!, is_bot: true } } };
    expect(classifyUpdate(fromBot, AT)).toEqual({ kind: 'ignore', reason: 'from_bot' });
    const service = { update_id: 2, message: { message_id: 9, date: 1, chat: { id: 5, type: 'private' } } };
    expect(classifyUpdate(telegramUpdateSchema.parse(service), AT)).toEqual({ kind: 'ignore', reason: 'unsupported' });
  });

  test('a button under an inline-mode message (no chat) is ignored, but still answered', () => {
    const cb = fixture('callback-query');
    const { message: _message, ...noMessage } = cb.callback_query!;
    expect(classifyUpdate({ update_id: 3, callback_query: noMessage }, AT)).toEqual({
      kind: 'ignore',
      reason: 'callback_without_chat',
      callbackQueryId: '4382bfdwdsb323b2d9',
    });
  });

  test('the schema rejects an update without an id and a message without a chat', () => {
    expect(telegramUpdateSchema.safeParse({ message: {} }).success).toBe(false);
    expect(telegramUpdateSchema.safeParse({ update_id: 1, message: { message_id: 1, date: 1 } }).success).toBe(false);
  });
});

describe('commands and language', () => {
  test.each([
    ['/start', 'start'],
    ['/start ref_promo', 'start'],
    ['/help', 'help'],
    ['/bantuan', 'help'],
    ['/agent', 'agent'],
    ['/petugas@majujaya_cs_bot', 'agent'],
    ['/cancel', 'cancel'],
    ['/batal', 'cancel'],
    ['/menu', 'help'],
  ])('%s → %s', (text, command) => {
    expect(parseCommand(text)).toBe(command);
  });

  test('ordinary text is no command', () => {
    expect(parseCommand('halo kak')).toBeUndefined();
    expect(parseCommand('1/2 harga?')).toBeUndefined();
    expect(parseCommand('/')).toBeUndefined();
  });

  test('language codes', () => {
    expect(localeFromLanguageCode('id')).toBe('id');
    expect(localeFromLanguageCode('en-GB')).toBe('en');
    expect(localeFromLanguageCode('ms')).toBe('id');
    expect(localeFromLanguageCode('ru')).toBeUndefined();
    expect(localeFromLanguageCode(undefined)).toBeUndefined();
  });
});

describe('encoding replies', () => {
  test('plain text: one call, no parse mode, no keyboard', () => {
    expect(encodeMessage({ text: 'Halo Kak!' })).toEqual([{ text: 'Halo Kak!' }]);
  });

  test("an agent's reply is led by the agent's name", () => {
    expect(encodeMessage({ text: 'Sudah saya cek ya.', from: { kind: 'agent', name: 'Sari' } })).toEqual([
      { text: 'Sari: Sudah saya cek ya.' },
    ]);
  });

  test('choices become an inline keyboard: topics one per row, short CSAT buttons in one row', () => {
    const [clarify] = encodeMessage({
      text: 'Maksud Kakak yang mana?',
      choices: [
        { id: 'c1', label: 'Jam buka toko' },
        { id: 'c0', label: 'Lainnya / petugas' },
      ],
    });
    expect(clarify!.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: 'Jam buka toko', callback_data: 'c1' }],
        [{ text: 'Lainnya / petugas', callback_data: 'c0' }],
      ],
    });
    const csat = inlineKeyboard([1, 2, 3, 4, 5].map((n) => ({ id: `csat_${n}`, label: `${n} ★` })));
    expect(csat.inline_keyboard).toHaveLength(1);
    expect(csat.inline_keyboard[0]!.map((b) => b.callback_data)).toEqual([
      'csat_1',
      'csat_2',
      'csat_3',
      'csat_4',
      'csat_5',
    ]);
  });

  test('callback data over 64 bytes is refused rather than cut', () => {
    expect(() => inlineKeyboard([{ id: 'x'.repeat(65), label: 'x' }])).toThrow(RangeError);
  });

  test('a long text is split at 4096 on paragraph boundaries; the keyboard rides on the last part', () => {
    const paragraph = 'Kalimat yang cukup panjang untuk diulang. '.repeat(60).trim();
    const text = Array.from({ length: 4 }, () => paragraph).join('\n\n');
    const parts = encodeMessage({ text, choices: [{ id: 'c1', label: 'Ya' }] });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(TELEGRAM_MAX_TEXT);
    expect(parts.map((p) => p.text).join('\n\n')).toBe(text);
    expect(parts.slice(0, -1).every((p) => p.reply_markup === undefined)).toBe(true);
    expect(parts.at(-1)!.reply_markup).toBeDefined();
  });

  test('an empty text sends nothing', () => {
    expect(encodeMessage({ text: '   ' })).toEqual([]);
  });
});
