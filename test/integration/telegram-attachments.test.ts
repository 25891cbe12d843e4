/**
 * Customers' files from Telegram reach agents: a photo with a caption is classified by its caption
 * and, on the ticket, keeps its `file_id`; the console downloads it through
 * `GET /api/tickets/:id/attachments/:index`, which asks the (fake) Bot API (`getFile`, then the
 * file path) and streams the bytes with a type the browser cannot turn into a page. Full app over
 * real HTTP, on the memory store and on a real redis-server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { seedDemoUsers } from '../../src/auth/demo-users';
import type { RunningServer } from '../../src/server';
import { postJson, startTestApp } from '../support/app';
import { call, login, PASSWORD, type Login } from '../support/console';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';

jest.setTimeout(30_000);

const TOKEN = '123456789:AAEfakeTokenForAttachments_abcdefghij';
const SECRET = 'telegram-webhook-secret-attachments-01';
const FIXTURE_CHAT = 5551234567;
/** The largest size of the recorded photo (the fixture's second `PhotoSize`). */
const LARGE_PHOTO = 'AgACAgUAAxkBAAIBZ2d8aW1hZ2UtbGFyZ2U';
const SMALL_PHOTO = 'AgACAgUAAxkBAAIBZ2d8aW1hZ2Utc21hbGw';

let redis: TestRedisServer | undefined;
const backends = [
  { name: 'memory', env: (): Record<string, string> => ({}) },
  { name: 'redis', env: (): Record<string, string> => ({ REDIS_URL: `${redis!.url}/5` }) },
];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

let nextUpdateId = 950_000_000;
let nextChat = 7_300_000_000;

/** A recorded update moved to `chat`, with a fresh `update_id` and message id. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function update(name: string, chat: number, patch: (u: any) => void = () => undefined): any {
  const raw = fs.readFileSync(path.join(__dirname, '../fixtures/telegram', `${name}.json`), 'utf8');
  const u = JSON.parse(raw.split(String(FIXTURE_CHAT)).join(String(chat)));
  u.update_id = ++nextUpdateId;
  if (u.message) u.message.message_id = nextUpdateId;
  patch(u);
  return u;
}

/** A document as Telegram sends it (no recorded fixture carries one). */
const documentUpdate = (chat: number, document: Record<string, unknown>, caption?: string) =>
  update('private-text', chat, (u) => {
    delete u.message.text;
    u.message.document = document;
    if (caption) u.message.caption = caption;
  });

/** A JPEG's first bytes and some filler: what the fake serves as the photo. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(90_000, 7)]);

describe.each(backends)('Telegram attachments ($name store)', (backend) => {
  let app: RunningServer;
  let tg: FakeTelegram;
  let agent: Login;

  const post = (body: unknown) =>
    postJson(`${app.url}/channels/telegram/webhook`, body, { 'x-telegram-bot-api-secret-token': SECRET });
  const conversation = (chat: number) => app.stores.conversations.get(`telegram:${chat}`);
  const fetchAs = (who: Login | undefined, url: string) =>
    fetch(`${app.url}${url}`, { headers: who ? { cookie: who.cookie } : {} });

  /** A customer whose photo of error E02 opened a ticket; the ticket and the photo's message index. */
  async function photoTicket(): Promise<{ chat: number; ticketId: string; index: number }> {
    const chat = ++nextChat;
    const res = await post(update('photo-caption', chat));
    expect(res.status).toBe(200);
    // The caption decided: a complex technical problem goes to the human queue.
    const conv = await conversation(chat);
    if (conv?.state === 'clarifying') {
      throw new Error(`the caption was not clear enough to hand off: ${JSON.stringify(conv.transcript.at(-1))}`);
    }
    expect(conv?.ticketId).toBeDefined();
    const ticket = (await app.stores.tickets.get(conv!.ticketId!))!;
    const index = ticket.messages.findIndex((m) => m.attachment);
    expect(index).toBeGreaterThanOrEqual(0);
    return { chat, ticketId: ticket.id, index };
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
      },
      telegramRetry: { baseDelayMs: 5 },
    });
    if (app.stores.kind === 'redis') await seedDemoUsers(app.auth, PASSWORD);
    agent = await login(app, 'agent1');
  });
  afterAll(async () => {
    await app.close();
    await tg.stop();
  });

  test('a photo with a caption is classified by its caption and its largest size is kept on the ticket', async () => {
    const { ticketId, index } = await photoTicket();
    const ticket = (await app.stores.tickets.get(ticketId))!;
    expect(ticket.category).toBe('technical');
    expect(ticket.messages[index]).toMatchObject({
      from: 'customer',
      text: expect.stringMatching(/^\[photo\] modem saya muncul error E02/),
      attachment: {
        kind: 'photo',
        ref: LARGE_PHOTO,
        uniqueRef: 'AQADlarge',
        mimeType: 'image/jpeg',
        size: 84712,
      },
    });
    // The console's ticket detail carries it too (the conversation view renders from it).
    const detail = await call(app, 'GET', `/api/tickets/${ticketId}`, { as: agent });
    expect(detail.body.ticket.messages[index].attachment).toMatchObject({ kind: 'photo', ref: LARGE_PHOTO });
  });

  test('an agent downloads the photo through the app: the bytes, inline as an image, never the token', async () => {
    tg.addFile(LARGE_PHOTO, JPEG, { path: 'photos/file_42.jpg' });
    tg.addFile(SMALL_PHOTO, Buffer.from('small'), { path: 'photos/file_41.jpg' });
    const { ticketId, index } = await photoTicket();
    tg.reset();
    const res = await fetchAs(agent, `/api/tickets/${ticketId}/attachments/${index}`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(JPEG)).toBe(true);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename=".+\.jpg"/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(res.headers.get('cache-control')).toContain('no-store');
    // The app asked Telegram for the largest size, and downloaded it with the token server-side.
    expect(tg.callsOf('getFile').map((c) => c.params.file_id)).toEqual([LARGE_PHOTO]);
    expect(tg.downloads.at(-1)).toEqual({ token: TOKEN, path: 'photos/file_42.jpg', status: 200 });
    for (const [, value] of res.headers) expect(value).not.toContain(TOKEN.split(':')[1]);
    // Reading a customer's file is audited.
    const audit = await app.stores.audit.list({ limit: 5 });
    expect(audit.find((e) => e.action === 'attachment_read')).toMatchObject({
      ticketId,
      actor: { username: 'agent1' },
      detail: { index: String(index), kind: 'photo' },
    });
  });

  test('a document sent while the ticket is open is attached to it; HTML is a download, never rendered', async () => {
    const { chat, ticketId } = await photoTicket();
    const fileId = `BQACAgUAAxkBAAIBdoc${chat}`;
    tg.addFile(fileId, Buffer.from('<html><script>alert(1)</script></html>'), { path: 'documents/file_7.html' });
    const res = await post(
      documentUpdate(
        chat,
        {
          file_id: fileId,
          file_unique_id: 'AgADdoc',
          file_name: '../../"struk"\r\n.html',
          mime_type: 'text/html',
          file_size: 38,
        },
        'ini struk pembayarannya kak',
      ),
    );
    expect(res.status).toBe(200);
    const ticket = (await app.stores.tickets.get(ticketId))!;
    const index = ticket.messages.length - 1;
    expect(ticket.messages[index]).toMatchObject({
      from: 'customer',
      text: expect.stringContaining('ini struk pembayarannya kak'),
      attachment: { kind: 'document', ref: fileId, mimeType: 'text/html', size: 38 },
    });
    const download = await fetchAs(agent, `/api/tickets/${ticketId}/attachments/${index}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    const disposition = download.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; /);
    // No path, no quote, no line break from the customer's file name.
    expect(disposition).toContain('filename="_struk___.html"');
    expect(disposition).not.toMatch(/\.\.\/|[\r\n]/);
    expect(await download.text()).toContain('<script>');
  });

  test('no session: 401; a role without tickets:read: 403; a message without a file or a bad index: 404', async () => {
    const { ticketId, index } = await photoTicket();
    expect((await fetchAs(undefined, `/api/tickets/${ticketId}/attachments/${index}`)).status).toBe(401);
    const editor = await login(app, 'editor');
    const forbidden = await fetchAs(editor, `/api/tickets/${ticketId}/attachments/${index}`);
    expect(forbidden.status).toBe(403);
    const ticket = (await app.stores.tickets.get(ticketId))!;
    const textIndex = ticket.messages.findIndex((m) => !m.attachment);
    for (const url of [
      `/api/tickets/${ticketId}/attachments/${textIndex}`,
      `/api/tickets/${ticketId}/attachments/999`,
      `/api/tickets/no-such-ticket/attachments/0`,
    ]) {
      const res = await call(app, 'GET', url, { as: agent });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const bad = await call(app, 'GET', `/api/tickets/${ticketId}/attachments/first`, { as: agent });
    expect(bad.status).toBe(400);
  });

  test('a file Telegram no longer has: 410 ATTACHMENT_GONE, with no token in the answer', async () => {
    const { ticketId, index } = await photoTicket();
    tg.removeFile(LARGE_PHOTO);
    const res = await call(app, 'GET', `/api/tickets/${ticketId}/attachments/${index}`, { as: agent });
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('ATTACHMENT_GONE');
    expect(JSON.stringify(res.body)).not.toContain(TOKEN.split(':')[1]);
  });

  test('over the 20 MB limit: 413 before downloading when the size is known, cut short when it is not', async () => {
    const { chat, ticketId } = await photoTicket();
    // Telegram refuses getFile for files over 20 MB ("file is too big").
    const bigId = `BQACAgUAAxkBAAIBbig${chat}`;
    tg.addFile(bigId, Buffer.from('x'), { reportedSize: 25 * 1024 * 1024 });
    await post(documentUpdate(chat, { file_id: bigId, file_name: 'video.mp4', mime_type: 'video/mp4' }));
    let ticket = (await app.stores.tickets.get(ticketId))!;
    const big = await call(app, 'GET', `/api/tickets/${ticketId}/attachments/${ticket.messages.length - 1}`, {
      as: agent,
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('ATTACHMENT_TOO_LARGE');

    // No size anywhere and no Content-Length: the stream is counted and cut at the limit.
    const sneakyId = `BQACAgUAAxkBAAIBsneaky${chat}`;
    tg.addFile(sneakyId, Buffer.alloc(20 * 1024 * 1024 + 100_000, 1), { reportedSize: null, chunked: true });
    await post(documentUpdate(chat, { file_id: sneakyId, file_name: 'dump.bin' }));
    ticket = (await app.stores.tickets.get(ticketId))!;
    const res = await fetchAs(agent, `/api/tickets/${ticketId}/attachments/${ticket.messages.length - 1}`);
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    tg.removeFile(sneakyId);
  });
});
