/**
 * Telegram customers end to end over real HTTP: the full app (same wiring as `npm start`) with
 * `TELEGRAM_*` pointing at a fake Bot API server (`test/support/fake-telegram.ts`), fed recorded
 * Update payloads (`test/fixtures/telegram/*.json`) through the webhook, on the memory store and on
 * a real redis-server. Replies leave after the webhook's 200, so tests wait for the fake to see
 * the call (event-driven, with a generous timeout) rather than sleeping.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Ticket } from '../../src/domain/ticket';
import type { StaffMember } from '../../src/handoff/service';
import type { RunningServer } from '../../src/server';
import { postJson, startTestApp } from '../support/app';
import { startFakeTelegram, type FakeCall, type FakeTelegram } from '../support/fake-telegram';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';

jest.setTimeout(30_000);

const TOKEN = '123456789:AAEfakeTokenForTests_abcdefghijklmnop';
const SECRET = 'telegram-webhook-secret-0123456789';
const FIXTURE_CHAT = 5551234567;

type Backend = { name: string; env: () => Record<string, string> };
let redis: TestRedisServer | undefined;
const backends: Backend[] = [
  { name: 'memory', env: () => ({}) },
  { name: 'redis', env: () => ({ REDIS_URL: `${redis!.url}/4` }) },
];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

let nextUpdateId = 900_000_000;
let nextChat = 7_100_000_000;

/** A recorded update, moved to `chat` (its chat and user ids) with a fresh `update_id`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function update(name: string, chat: number, patch: (u: any) => void = () => undefined): any {
  const raw = fs.readFileSync(path.join(__dirname, '../fixtures/telegram', `${name}.json`), 'utf8');
  const u = JSON.parse(raw.split(String(FIXTURE_CHAT)).join(String(chat)));
  u.update_id = ++nextUpdateId;
  patch(u);
  return u;
}

/** A private text message from `chat`. */
const text = (chat: number, body: string) =>
  update('private-text', chat, (u) => {
    u.message.text = body;
    u.message.message_id = nextUpdateId;
  });

const sari: StaffMember = { id: 'sari', role: 'agent', displayName: 'Sari', teams: ['frontline'] };

describe.each(backends)('Telegram customers ($name store)', (backend) => {
  let app: RunningServer;
  let tg: FakeTelegram;
  const changes: { ticket: Ticket; change: string }[] = [];

  const post = (body: unknown, secret: string | null = SECRET) =>
    postJson(
      `${app.url}/channels/telegram/webhook`,
      body,
      secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret },
    );
  const sentTo = (chat: number) => tg.callsOf('sendMessage').filter((c) => c.params.chat_id === chat);
  /** Waits until `chat` has received `count` messages in total; returns them. */
  async function received(chat: number, count: number): Promise<FakeCall[]> {
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (sentTo(chat).length < count) return;
        tg.off('call', check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        tg.off('call', check);
        reject(new Error(`chat ${chat}: expected ${count} message(s), got ${sentTo(chat).length}`));
      }, 10_000);
      tg.on('call', check);
      check();
    });
    return sentTo(chat);
  }
  const variants = (id: string, locale: 'id' | 'en') => app.brain().content.templates.get(id)!.variants[locale];
  const conversation = (chat: number) => app.stores.conversations.get(`telegram:${chat}`);

  beforeAll(async () => {
    tg = await startFakeTelegram();
    app = await startTestApp({
      env: {
        ...backend.env(),
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: tg.url,
      },
      telegramRetry: { baseDelayMs: 5 },
    });
    app.handoff.on('ticket_changed', ({ ticket, change }) => changes.push({ ticket, change }));
  });
  afterAll(async () => {
    await app.close();
    await tg.stop();
  });

  test('a request without the secret token, or with a wrong one, gets 401 and makes no API call', async () => {
    tg.reset();
    const chat = ++nextChat;
    for (const secret of [null, '', 'wrong-secret-0123456789', `${SECRET}x`]) {
      const res = await post(text(chat, 'jam buka toko brp kak?'), secret);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
    // Not even a non-JSON body is read before the secret.
    const garbage = await fetch(`${app.url}/channels/telegram/webhook`, { method: 'POST', body: 'not json' });
    expect(garbage.status).toBe(401);
    expect(tg.calls).toEqual([]);
    expect(await conversation(chat)).toBeNull();
  });

  test('an FAQ is answered in the chat, in Indonesian, without the token ever being needed for getMe', async () => {
    const chat = ++nextChat;
    const res = await post(text(chat, 'jam buka toko brp kak?'));
    expect(res.status).toBe(200);
    const [reply] = await received(chat, 1);
    expect(reply!.token).toBe(TOKEN);
    expect(reply!.params.text).toContain(app.brain().content.routing.business.hoursText.id);
    expect(reply!.params.parse_mode).toBeUndefined();
    expect(tg.callsOf('getMe')).toEqual([]);
    expect(await conversation(chat)).toMatchObject({ state: 'bot', customerName: 'Budi Santoso', locale: 'id' });
  });

  test('a re-sent update (same update_id) is answered once', async () => {
    const chat = ++nextChat;
    const first = text(chat, 'jam buka toko brp kak?');
    expect((await post(first)).status).toBe(200);
    expect((await post(first)).status).toBe(200);
    await received(chat, 1);
    // A later message of the same chat is answered after anything queued before it.
    expect((await post(first)).status).toBe(200);
    await post(text(chat, 'alamat tokonya dimana?'));
    const replies = await received(chat, 2);
    expect(sentTo(chat)).toHaveLength(2);
    expect(replies[0]!.params.text).toContain(app.brain().content.routing.business.hoursText.id);
    expect(replies[1]!.params.text).toContain('Cihampelas');
  });

  test('the clarifying question comes with an inline keyboard; a button press answers it and stops the spinner', async () => {
    const chat = ++nextChat;
    await post(text(chat, 'pesan'));
    const [question] = await received(chat, 1);
    const keyboard: { text: string; callback_data: string }[][] = question!.params.reply_markup.inline_keyboard;
    // 'pesan' is as much "how do I order" as "where is my order": both are offered (in the order of
    // their scores, which is not a promise), then the way to a person, last.
    const labels = keyboard.map((row) => row.map((b) => b.text));
    expect(labels).toHaveLength(3);
    expect(labels.slice(0, 2).flat().sort()).toEqual(['Cara pesan', 'Status pesanan']);
    expect(labels[2]).toEqual(['Lainnya / petugas']);
    expect((await conversation(chat))!.state).toBe('clarifying');

    const howTo = keyboard.flat().find((b) => b.text === 'Cara pesan')!.callback_data;
    const press = update('callback-query', chat, (u) => {
      u.callback_query.id = `cbq-${chat}`;
      u.callback_query.data = howTo;
    });
    expect((await post(press)).status).toBe(200);
    await tg.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === `cbq-${chat}`);
    // The used keyboard is removed from the question, so it cannot be pressed again.
    const removed = await tg.waitForCall('editMessageReplyMarkup', (c) => c.params.chat_id === chat);
    expect(removed.params.message_id).toBe(press.callback_query.message.message_id);
    expect(removed.params.reply_markup).toBeUndefined();
    const [answer] = (await received(chat, 2)).slice(1);
    expect(variants('how_to_order', 'id')).toContain(answer!.params.text);
    expect((await conversation(chat))!.state).toBe('bot');

    // The same button again (a stale question): the spinner stops and the customer is told the
    // option has expired, in the conversation's language; the conversation does not change.
    const before = await conversation(chat);
    const again = update('callback-query', chat, (u) => {
      u.callback_query.id = `cbq-${chat}-again`;
      u.callback_query.data = howTo;
    });
    expect((await post(again)).status).toBe(200);
    await tg.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === `cbq-${chat}-again`);
    const [, , expired] = await received(chat, 3);
    expect(variants('choice_expired', 'id')).toContain(expired!.params.text);
    const after = await conversation(chat);
    expect(after!.state).toBe('bot');
    expect(after!.transcript).toEqual(before!.transcript);
  });

  test('/start greets in the language of the app; /help lists what the bot does', async () => {
    const chat = ++nextChat;
    await post(update('start-en', chat, (u) => ((u.message.chat.id = chat), (u.message.from.id = chat))));
    const [welcome] = await received(chat, 1);
    expect(welcome!.params.text).toContain('Welcome to MAJU JAYA');
    expect(welcome!.params.text).toContain('/agent');
    await post(text(chat, '/help'));
    const [, help] = await received(chat, 2);
    expect(help!.params.text).toContain('/cancel');
  });

  test("/agent hands off; the agent's reply reaches the chat with the agent's name; the CSAT question after the resolve, rated by button", async () => {
    const chat = ++nextChat;
    await app.handoff.heartbeat(sari, 4 * 3_600_000);
    await post(text(chat, 'cara pesan gimana kak?'));
    await received(chat, 1);
    await post(text(chat, '/agent'));
    const [, handed] = await received(chat, 2);
    const conv = await conversation(chat);
    // Sari is online in the human category's team: auto-assignment may have given it to her.
    expect(['queued', 'with_agent']).toContain(conv!.state);
    const ticket = (await app.stores.tickets.get(conv!.ticketId!))!;
    expect(ticket).toMatchObject({ channel: 'telegram', senderId: String(chat), category: 'human' });
    expect(ticket.context).toMatchObject({ rule: 'handoff:command', originalText: 'cara pesan gimana kak?' });
    expect(handed!.params.text).toContain(ticket.number);

    expect(await app.handoff.claim(ticket.id, sari)).toMatchObject({ ok: true });
    await app.handoff.reply(ticket.id, sari, 'Halo Kak, saya Sari. Saya cek pesanannya ya.');
    const agentReply = sentTo(chat).at(-1)!;
    expect(agentReply.params.text).toBe('Sari: Halo Kak, saya Sari. Saya cek pesanannya ya.');

    // While an agent owns the chat, the customer's messages go to the ticket; the bot is silent.
    await post(text(chat, 'oke kak ditunggu'));
    await post(update('sticker', chat));
    await post(update('photo-caption', chat, (u) => (u.message.caption = 'ini resinya kak')));
    await app.handoff.reply(ticket.id, sari, 'Sudah saya cek, besok sampai ya.');
    expect(sentTo(chat)).toHaveLength(4);
    const texts = (await app.stores.tickets.get(ticket.id))!.messages.map((m) => m.text);
    expect(texts).toEqual(expect.arrayContaining(['oke kak ditunggu', '[sticker: 👍]', '[photo] ini resinya kak']));

    await app.handoff.resolve(ticket.id, sari);
    const csat = sentTo(chat).at(-1)!;
    expect(csat.params.text).toContain(ticket.number);
    expect(csat.params.reply_markup.inline_keyboard[0].map((b: { callback_data: string }) => b.callback_data)).toEqual([
      'csat_1',
      'csat_2',
      'csat_3',
      'csat_4',
      'csat_5',
    ]);
    await post(
      update(
        'callback-query',
        chat,
        (u) => ((u.callback_query.id = `csat-${chat}`), (u.callback_query.data = 'csat_5')),
      ),
    );
    const thanks = (await received(chat, 6))[5]!;
    expect(variants('csat_thanks', 'id')).toContain(thanks.params.text);
    expect((await app.stores.tickets.get(ticket.id))!.csat!.score).toBe(5);
    await tg.waitForCall('answerCallbackQuery', (c) => c.params.callback_query_id === `csat-${chat}`);
  });

  test('voice, sticker, location and contact while the bot serves: a short request to type', async () => {
    const chat = ++nextChat;
    for (const [i, name] of ['voice', 'sticker', 'location', 'contact'].entries()) {
      await post(update(name, chat));
      const reply = (await received(chat, i + 1))[i]!;
      expect(variants('non_text_prompt', 'id')).toContain(reply.params.text);
    }
    expect((await conversation(chat))!.state).toBe('bot');
  });

  test('a photo with a caption is understood by its caption', async () => {
    const chat = ++nextChat;
    await post(update('photo-caption', chat));
    const [reply] = await received(chat, 1);
    const conv = await conversation(chat);
    expect(conv!.state).toBe('queued');
    const ticket = (await app.stores.tickets.get(conv!.ticketId!))!;
    expect(ticket.category).toBe('technical');
    expect(ticket.messages[0]!.text).toMatch(/^\[photo\] modem saya muncul error E02/);
    expect(reply!.params.text).toContain(ticket.number);
  });

  test('edited messages, group messages and channel posts get no reply', async () => {
    const chat = ++nextChat;
    for (const name of ['edited-message', 'group-message', 'channel-post']) {
      expect((await post(update(name, chat))).status).toBe(200);
    }
    await post(text(chat, 'jam buka toko brp kak?'));
    await received(chat, 1);
    expect(tg.callsOf('sendMessage').filter((c) => c.params.chat_id < 0)).toEqual([]);
    expect(sentTo(chat)).toHaveLength(1);
  });

  test('a body that is not an update gets 400', async () => {
    const res = await post({ hello: 'world' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  test('429 with retry_after: the reply is sent again after the wait, once', async () => {
    const chat = ++nextChat;
    tg.fail('sendMessage', { status: 429, retryAfter: 1 });
    await post(text(chat, 'jam buka toko brp kak?'));
    const [first, second] = await received(chat, 2);
    expect(second!.params.text).toBe(first!.params.text);
    expect(sentTo(chat)).toHaveLength(2);
  });

  test("5xx until the retries run out: the agent's reply fails loudly and is noted on the ticket", async () => {
    const chat = ++nextChat;
    await post(text(chat, '/agent'));
    await received(chat, 1);
    const ticketId = (await conversation(chat))!.ticketId!;
    await app.handoff.claim(ticketId, sari);
    const before = sentTo(chat).length;
    tg.fail('sendMessage', { status: 500 }, { status: 502 }, { status: 503 }, { status: 500 });
    await expect(app.handoff.reply(ticketId, sari, 'Halo Kak?')).rejects.toMatchObject({
      code: 'CHANNEL_DELIVERY_FAILED',
    });
    expect(sentTo(chat).length - before).toBe(4);
    const ticket = (await app.stores.tickets.get(ticketId))!;
    expect(ticket.notes.at(-1)).toMatchObject({
      author: 'delivery',
      text: expect.stringContaining('Not delivered on telegram'),
    });
    expect(ticket.notes.at(-1)!.text).not.toContain(TOKEN);
    expect(changes.some((c) => c.ticket.id === ticketId && c.change === 'delivery_failed')).toBe(true);
    // The channel works again afterwards.
    await app.handoff.reply(ticketId, sari, 'Maaf tadi terputus, Kak.');
    expect(sentTo(chat).at(-1)!.params.text).toBe('Sari: Maaf tadi terputus, Kak.');
  });

  test("the agent's retry of a reply that was not delivered is sent again but kept once", async () => {
    const chat = ++nextChat;
    await post(text(chat, '/agent'));
    await received(chat, 1);
    const ticketId = (await conversation(chat))!.ticketId!;
    await app.handoff.claim(ticketId, sari);
    const copies = async (body: string) => ({
      ticket: (await app.stores.tickets.get(ticketId))!.messages.filter((m) => m.text === body).length,
      transcript: (await conversation(chat))!.transcript.filter((t) => t.text === body).length,
    });
    tg.fail('sendMessage', { status: 500 }, { status: 502 }, { status: 503 }, { status: 500 });
    const reply = 'Pesanan Kakak sedang kami cek.';
    await expect(app.handoff.reply(ticketId, sari, reply, { replyId: 'compose-1' })).rejects.toMatchObject({
      code: 'CHANNEL_DELIVERY_FAILED',
    });
    await app.handoff.reply(ticketId, sari, reply, { replyId: 'compose-1' });
    expect(sentTo(chat).at(-1)!.params.text).toBe(`Sari: ${reply}`);
    expect(await copies(reply)).toEqual({ ticket: 1, transcript: 1 });
    // The same words written again later are a new reply (a new id), kept again.
    await app.handoff.reply(ticketId, sari, reply, { replyId: 'compose-2' });
    expect(await copies(reply)).toEqual({ ticket: 2, transcript: 2 });
    // Another agent cannot use a retry to speak on a ticket they do not own.
    const budi = { ...sari, id: 'budi', displayName: 'Budi' };
    await expect(app.handoff.reply(ticketId, budi, reply, { replyId: 'compose-2' })).rejects.toMatchObject({
      code: 'TICKET_NOT_OWNER',
    });
  });
});

describe('Telegram long polling (local use)', () => {
  test('updates are fetched with getUpdates and answered; the webhook route does not exist', async () => {
    const tg = await startFakeTelegram();
    const app = await startTestApp({
      env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: tg.url },
    });
    try {
      const chat = ++nextChat;
      tg.queueUpdate(text(chat, 'jam buka toko brp kak?'));
      const [reply] = await tg.waitForCalls('sendMessage', 1);
      expect(reply!.params).toMatchObject({ chat_id: chat });
      expect(reply!.params.text).toContain(app.brain().content.routing.business.hoursText.id);
      expect(tg.callsOf('deleteWebhook')[0]!.params).toMatchObject({ drop_pending_updates: false });
      const res = await postJson(
        `${app.url}/channels/telegram/webhook`,
        {},
        { 'x-telegram-bot-api-secret-token': SECRET },
      );
      expect(res.status).toBe(404);
    } finally {
      await app.close();
      await tg.stop();
    }
  });
});
