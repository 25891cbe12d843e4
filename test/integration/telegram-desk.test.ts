/**
 * The Telegram agents' desk end to end over real HTTP: the full app with `TELEGRAM_AGENTS_CHAT_ID`
 * and `TELEGRAM_AGENTS` set, the fake Bot API recording topics and posts, customers and agents
 * both writing through the one webhook (recorded payloads from `test/fixtures/telegram/`), and the
 * console API beside it, on the memory store and on a real redis-server. Posts leave after the
 * webhook's 200, so tests wait for the fake to see the call rather than sleeping.
 */
import fs from 'node:fs';
import path from 'node:path';
import { seedDemoUsers } from '../../src/auth/demo-users';
import type { RunningServer } from '../../src/server';
import { postJson, startTestApp } from '../support/app';
import { call, login, PASSWORD } from '../support/console';
import { startFakeTelegram, type FakeCall, type FakeTelegram } from '../support/fake-telegram';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';

jest.setTimeout(30_000);

const TOKEN = '123456789:AAEfakeTokenForTests_abcdefghijklmnop';
const SECRET = 'telegram-webhook-secret-0123456789';
const FIXTURE_CHAT = 5551234567;
const DESK = -1002233445566;
/** Telegram users of the agents' group: Budi (console agent1), Sari (supervisor), Rina (content editor), a stranger. */
const BUDI = 6120000001;
const SARI = 6120000002;
const RINA = 6120000003;
const STRANGER = 6120000009;
const COMPLAINT = 'pelayanan teknisi kalian sangat mengecewakan, saya kecewa berat';

type Backend = { name: string; env: () => Record<string, string> };
let redis: TestRedisServer | undefined;
const backends: Backend[] = [
  { name: 'memory', env: () => ({}) },
  { name: 'redis', env: () => ({ REDIS_URL: `${redis!.url}/5` }) },
];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

let nextUpdateId = 950_000_000;
let nextChat = 7_300_000_000;
let nextMessageId = 40_000;

// Bot API payloads are patched field by field, so `any` is the honest type here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/telegram', `${name}.json`), 'utf8'));
}

/** A customer's private text message. */
function customerText(chat: number, text: string) {
  const u = JSON.parse(JSON.stringify(fixture('private-text')).split(String(FIXTURE_CHAT)).join(String(chat)));
  u.update_id = ++nextUpdateId;
  u.message.message_id = ++nextMessageId;
  u.message.text = text;
  return u;
}

/** The recorded agent message in a topic, from `from` in topic `thread` with `text`. */
function topicText(thread: number, from: number, text: string) {
  const u = fixture('desk-topic-message');
  u.update_id = ++nextUpdateId;
  u.message.message_id = ++nextMessageId;
  u.message.from.id = from;
  u.message.message_thread_id = thread;
  u.message.reply_to_message.message_thread_id = thread;
  u.message.reply_to_message.message_id = thread;
  u.message.text = text;
  return u;
}

describe.each(backends)("Telegram agents' desk ($name store)", (backend) => {
  let app: RunningServer;
  let tg: FakeTelegram;

  const post = (body: unknown) =>
    postJson(`${app.url}/channels/telegram/webhook`, body, { 'x-telegram-bot-api-secret-token': SECRET });
  const sentTo = (chat: number) => tg.callsOf('sendMessage').filter((c) => c.params.chat_id === chat);
  const inTopic = (thread: number) =>
    tg.callsOf('sendMessage').filter((c) => c.params.chat_id === DESK && c.params.message_thread_id === thread);
  /** Waits for a post into the topic whose text contains `needle`. */
  const posted = (thread: number, needle: string) =>
    tg.waitForCall(
      'sendMessage',
      (c) =>
        c.params.chat_id === DESK && c.params.message_thread_id === thread && String(c.params.text).includes(needle),
    );
  /** Waits until `chat` has received `count` messages in total; returns them. */
  async function received(chat: number, count: number): Promise<FakeCall[]> {
    await tg.waitForCall('sendMessage', () => sentTo(chat).length >= count);
    return sentTo(chat);
  }

  /** A Telegram customer complains (team `supervisor`, no auto-assignment); returns the ticket and its topic. */
  async function handoff(): Promise<{ chat: number; ticketId: string; number: string; thread: number }> {
    const chat = ++nextChat;
    await post(customerText(chat, COMPLAINT));
    await received(chat, 1);
    const conv = await app.stores.conversations.get(`telegram:${chat}`);
    const ticket = (await app.stores.tickets.get(conv!.ticketId!))!;
    const created = await tg.waitForCall('createForumTopic', (c) => String(c.params.name).startsWith(ticket.number));
    const thread = [...tg.topics.entries()].find(([, t]) => t.name === created.params.name)![0];
    await posted(thread, '🎫');
    return { chat, ticketId: ticket.id, number: ticket.number, thread };
  }

  beforeAll(async () => {
    tg = await startFakeTelegram();
    app = await startTestApp({
      env: {
        ...backend.env(),
        DEMO_PASSWORD: PASSWORD,
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: tg.url,
        TELEGRAM_AGENTS_CHAT_ID: String(DESK),
        TELEGRAM_AGENTS: `${BUDI}:agent1, ${SARI}:supervisor,${RINA}:editor`,
      },
      telegramRetry: { baseDelayMs: 5 },
    });
    if (app.stores.kind === 'redis') await seedDemoUsers(app.auth, PASSWORD);
  });
  afterAll(async () => {
    await app.close();
    await tg.stop();
  });

  test('a handoff opens a topic named number · category · customer, with the context packet as its first post', async () => {
    const { number, thread, ticketId } = await handoff();
    expect(tg.topics.get(thread)).toMatchObject({ chatId: DESK, name: `${number} · complaint · Budi Santoso` });
    const [packet] = inTopic(thread);
    expect(packet!.params.parse_mode).toBeUndefined();
    const text: string = packet!.params.text;
    expect(text).toContain(`🎫 ${number} · complaint · tim / team supervisor`);
    expect(text).toContain('Budi Santoso');
    expect(text).toMatch(/Aturan \/ Rule: handoff:/);
    expect(text).toContain('Batas respons pertama / First response by:');
    expect(text).toContain(`Pelanggan: ${COMPLAINT}`);
    expect(text).toContain('/claim');
    expect(await app.stores.deskTopics.topicOf(ticketId)).toEqual({ chatId: DESK, threadId: thread });
  });

  test("the customer's later messages are posted into the topic as plain text", async () => {
    const { chat, thread } = await handoff();
    await post(customerText(chat, 'halo?? <b>kok</b> belum dibalas *sama sekali*'));
    const copy = await posted(thread, 'belum dibalas');
    expect(copy.params.text).toBe('👤 Budi Santoso:\nhalo?? <b>kok</b> belum dibalas *sama sekali*');
    expect(copy.params.parse_mode).toBeUndefined();
  });

  test("an agent's plain message in the topic claims the ticket and reaches the customer's private chat", async () => {
    const { chat, ticketId, thread } = await handoff();
    expect((await post(topicText(thread, BUDI, 'Halo Kak, saya Budi. Saya bantu cek ya.'))).status).toBe(200);
    const [, reply] = await received(chat, 2);
    expect(reply!.params.text).toBe('Budi: Halo Kak, saya Budi. Saya bantu cek ya.');
    await posted(thread, 'Diambil oleh Budi');
    const budi = await login(app, 'agent1');
    const detail = await call(app, 'GET', `/api/tickets/${ticketId}`, { as: budi });
    expect(detail.body.ticket).toMatchObject({ status: 'in_progress', assignee: 'agent1' });
    expect(detail.body.ticket.firstResponseAt).toEqual(expect.any(Number));
    // The agent's own words are not echoed back into the topic.
    expect(inTopic(thread).filter((c) => String(c.params.text).includes('saya Budi'))).toEqual([]);
    const audit = await app.stores.audit.list({ ticketId });
    expect(audit.map((e) => [e.action, e.actor.username, e.detail?.via])).toEqual(
      expect.arrayContaining([
        ['claim', 'agent1', 'telegram'],
        ['reply', 'agent1', 'telegram'],
      ]),
    );
  });

  test('/claim in the topic: the console API shows the ticket claimed by that agent', async () => {
    const { ticketId, thread } = await handoff();
    await post(topicText(thread, BUDI, '/claim'));
    await posted(thread, 'Diambil oleh Budi · Taken by Budi');
    const sari = await login(app, 'supervisor');
    const detail = await call(app, 'GET', `/api/tickets/${ticketId}`, { as: sari });
    expect(detail.body.ticket).toMatchObject({ status: 'in_progress', assignee: 'agent1' });
    const mine = await call(app, 'GET', '/api/tickets?status=in_progress&mine=true', {
      as: await login(app, 'agent1'),
    });
    expect(mine.body.tickets.map((t: { id: string }) => t.id)).toContain(ticketId);
  });

  test('a claim in the console is posted into the topic; then a reply by someone else in the topic is refused and not sent', async () => {
    const { chat, ticketId, thread } = await handoff();
    const budi = await login(app, 'agent1');
    expect((await call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: budi })).status).toBe(200);
    await posted(thread, 'Diambil oleh Budi');
    await post(topicText(thread, SARI, '/claim'));
    // A supervisor's /claim of an owned ticket is refused by the same store rule as in the console.
    expect((await posted(thread, 'sedang ditangani oleh Budi')).params.text).not.toContain('TIDAK dikirim');
    const before = sentTo(chat).length;
    const sariReply = await post(topicText(thread, SARI, 'Biar saya saja, Kak.'));
    expect(sariReply.status).toBe(200);
    // Supervisors may reply on any ticket (as in the console): it reaches the customer.
    await received(chat, before + 1);
    expect(sentTo(chat).at(-1)!.params.text).toBe('Sari (Supervisor): Biar saya saja, Kak.');

    // An agent who does not own it is refused, and the customer gets nothing.
    await app.handoff.transfer(
      ticketId,
      { id: 'supervisor', role: 'supervisor', teams: ['supervisor'] },
      {
        agent: 'agent2',
      },
    );
    await posted(thread, 'Dialihkan ke Dewi');
    const count = sentTo(chat).length;
    await post(topicText(thread, BUDI, 'Kak, ini Budi lagi.'));
    const refusal = await posted(thread, 'ditangani oleh Dewi');
    expect(refusal.params.text).toContain('TIDAK dikirim');
    expect(refusal.params.reply_parameters).toMatchObject({ message_id: expect.any(Number) });
    expect(sentTo(chat)).toHaveLength(count);
  });

  test("a customer's photo on an open ticket is shown in the topic itself; one Telegram refuses is posted as text", async () => {
    const { chat, thread } = await handoff();
    const photo = (caption: string, fileId: string) => {
      const u = JSON.parse(JSON.stringify(fixture('photo-caption')).split(String(FIXTURE_CHAT)).join(String(chat)));
      u.update_id = ++nextUpdateId;
      u.message.message_id = ++nextMessageId;
      u.message.caption = caption;
      u.message.photo[1].file_id = fileId;
      return u;
    };
    const fileId = `AgAC-desk-${chat}`;
    tg.addFile(fileId, Buffer.from('jpeg bytes'));
    expect((await post(photo('ini foto modemnya kak', fileId))).status).toBe(200);
    const sent = await tg.waitForCall('sendPhoto', (c) => c.params.message_thread_id === thread);
    expect(sent.params).toMatchObject({ chat_id: DESK, photo: fileId });
    expect(sent.params.caption).toContain('ini foto modemnya kak');

    // A file_id Telegram no longer knows: the agents still read what the customer wrote.
    expect((await post(photo('yang ini lampunya merah', 'AgAC-unknown'))).status).toBe(200);
    const fallback = await posted(thread, 'yang ini lampunya merah');
    expect(fallback.params.text).toContain('[photo]');
  });

  test('a photo that started the handoff follows the context packet into the new topic', async () => {
    const chat = ++nextChat;
    const u = JSON.parse(JSON.stringify(fixture('photo-caption')).split(String(FIXTURE_CHAT)).join(String(chat)));
    u.update_id = ++nextUpdateId;
    const fileId = u.message.photo[1].file_id as string;
    tg.addFile(fileId, Buffer.from('jpeg bytes'));
    await post(u);
    const ticketId = (await app.stores.conversations.get(`telegram:${chat}`))!.ticketId!;
    const number = (await app.stores.tickets.get(ticketId))!.number;
    const sent = await tg.waitForCall('sendPhoto', (c) => c.params.chat_id === DESK && c.params.photo === fileId);
    const thread = sent.params.message_thread_id as number;
    expect(tg.topics.get(thread)!.name.startsWith(number)).toBe(true);
    const packetAt = tg.calls.findIndex((c) => c.params.message_thread_id === thread && c.method === 'sendMessage');
    expect(packetAt).toBeGreaterThanOrEqual(0);
    expect(packetAt).toBeLessThan(tg.calls.indexOf(sent));
  });

  test('/note is kept on the ticket and never sent to the customer', async () => {
    const { chat, ticketId, thread } = await handoff();
    const before = sentTo(chat).length;
    await post(topicText(thread, BUDI, '/note pelanggan lama, sudah 3x komplain teknisi'));
    await posted(thread, 'Catatan internal disimpan');
    const ticket = (await app.stores.tickets.get(ticketId))!;
    expect(ticket.notes.at(-1)).toMatchObject({ author: 'agent1', text: 'pelanggan lama, sudah 3x komplain teknisi' });
    await post(topicText(thread, BUDI, '/note'));
    await posted(thread, 'Tulis: /note');
    expect(sentTo(chat)).toHaveLength(before);
    // A note written in the console shows in the topic with its text.
    const sari = await login(app, 'supervisor');
    await call(app, 'POST', `/api/tickets/${ticketId}/note`, { as: sari, body: { text: 'cek riwayat kunjungan' } });
    await posted(thread, 'cek riwayat kunjungan');
    expect(sentTo(chat)).toHaveLength(before);
  });

  test('/transfer <team> moves the ticket to that queue; an unknown team is refused', async () => {
    const { ticketId, thread } = await handoff();
    await post(topicText(thread, SARI, '/transfer antah_berantah'));
    await posted(thread, 'Tim "antah_berantah" tidak dikenal');
    expect((await app.stores.tickets.get(ticketId))!.team).toBe('supervisor');
    await post(topicText(thread, SARI, '/transfer support_l2'));
    await posted(thread, 'Dialihkan ke tim support_l2');
    const ticket = (await app.stores.tickets.get(ticketId))!;
    expect(ticket.team).toBe('support_l2');
    expect(ticket.history.at(-1)).toMatchObject({
      actor: { role: 'supervisor', id: 'supervisor' },
      team: 'support_l2',
    });
  });

  test('/resolve closes the topic and the customer gets the CSAT question', async () => {
    const { chat, ticketId, thread } = await handoff();
    await post(topicText(thread, BUDI, 'Sudah kami jadwalkan ulang teknisinya, Kak.'));
    await received(chat, 2);
    await post(topicText(thread, BUDI, '/resolve teknisi dijadwalkan ulang'));
    await posted(thread, 'Diselesaikan oleh Budi');
    await tg.waitForCall('closeForumTopic', (c) => c.params.message_thread_id === thread);
    expect(tg.topics.get(thread)!.closed).toBe(true);
    const [, , csat] = await received(chat, 3);
    expect(csat!.params.reply_markup.inline_keyboard[0].map((b: { callback_data: string }) => b.callback_data)).toEqual(
      ['csat_1', 'csat_2', 'csat_3', 'csat_4', 'csat_5'],
    );
    expect((await app.stores.tickets.get(ticketId))!).toMatchObject({ status: 'resolved', assignee: 'agent1' });
    expect((await app.stores.conversations.get(`telegram:${chat}`))!.state).toBe('bot');
  });

  test('a stranger, a content editor and a photo get a polite answer; nothing changes and the customer gets nothing', async () => {
    const { chat, ticketId, thread } = await handoff();
    await post(topicText(thread, STRANGER, 'saya bantu jawab ya'));
    const refusal = await posted(thread, 'belum terhubung');
    expect(refusal.params.text).toContain(String(STRANGER));
    await post(topicText(thread, RINA, '/claim'));
    await posted(thread, 'akun konsol "editor"');
    const photo = topicText(thread, BUDI, '');
    delete photo.message.text;
    photo.message.photo = [{ file_id: 'AgAC-photo', file_unique_id: 'u1', width: 90, height: 90 }];
    await post(photo);
    await posted(thread, 'Hanya teks');
    expect(sentTo(chat)).toHaveLength(1);
    expect((await app.stores.tickets.get(ticketId))!).toMatchObject({ status: 'new' });
    expect((await app.stores.tickets.get(ticketId))!.assignee).toBeUndefined();
  });

  test('the General topic, service messages, edits and unknown topics are ignored; the customer bot never answers the group', async () => {
    const { thread } = await handoff();
    const general = topicText(thread, BUDI, 'pagi semua');
    delete general.message.message_thread_id;
    delete general.message.is_topic_message;
    const created = fixture('desk-topic-created');
    created.update_id = ++nextUpdateId;
    const edited = topicText(thread, BUDI, 'diedit');
    edited.edited_message = edited.message;
    delete edited.message;
    const unknown = topicText(99_999, BUDI, 'halo');
    const before = tg.callsOf('sendMessage').length;
    for (const u of [general, created, edited, unknown]) expect((await post(u)).status).toBe(200);
    // A marker after them: once it is answered, the ones before were handled (in order, per chat).
    await post(topicText(thread, BUDI, '/help'));
    await posted(thread, 'Pesan biasa = balasan ke pelanggan');
    expect(
      tg
        .callsOf('sendMessage')
        .slice(before)
        .map((c) => c.params.text),
    ).toHaveLength(1);
  });
});

describe("Telegram agents' desk across two instances (one Redis)", () => {
  test('a console claim on the other instance while the topic is being created still reaches the topic', async () => {
    const tg = await startFakeTelegram();
    const env = {
      REDIS_URL: `${redis!.url}/6`,
      DEMO_PASSWORD: PASSWORD,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: tg.url,
      TELEGRAM_AGENTS_CHAT_ID: String(DESK),
      TELEGRAM_AGENTS: `${BUDI}:agent1`,
    };
    const webhookSide = await startTestApp({ env, telegramRetry: { baseDelayMs: 5 } });
    const consoleSide = await startTestApp({ env, telegramRetry: { baseDelayMs: 5 } });
    try {
      await seedDemoUsers(consoleSide.auth, PASSWORD);
      const chat = ++nextChat;
      // Telegram is slow to create the topic; meanwhile Budi claims the ticket on the other instance.
      const release = tg.hold('createForumTopic');
      await postJson(`${webhookSide.url}/channels/telegram/webhook`, customerText(chat, COMPLAINT), {
        'x-telegram-bot-api-secret-token': SECRET,
      });
      await tg.waitForCalls('createForumTopic', 1);
      const ticketId = (await consoleSide.stores.conversations.get(`telegram:${chat}`))!.ticketId!;
      const budi = await login(consoleSide, 'agent1');
      expect((await call(consoleSide, 'POST', `/api/tickets/${ticketId}/claim`, { as: budi })).status).toBe(200);
      release();

      const packet = await tg.waitForCall(
        'sendMessage',
        (c) => c.params.chat_id === DESK && String(c.params.text).includes('🎫'),
      );
      // An agent reading the topic knows Budi has it (the packet says so, or a post after it), so
      // nobody else answers the customer. (The customer's own name is Budi Santoso: match the phrase.)
      const topicPosts = tg
        .callsOf('sendMessage')
        .filter((c) => c.params.chat_id === DESK && c.params.message_thread_id === packet.params.message_thread_id);
      expect(topicPosts.map((c) => String(c.params.text)).join('\n')).toMatch(/handled by Budi|Diambil oleh Budi/);
    } finally {
      await consoleSide.close();
      await webhookSide.close();
      await tg.stop();
    }
  });
});
