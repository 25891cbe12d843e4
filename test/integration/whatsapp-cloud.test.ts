/**
 * WhatsApp Cloud API customers end to end over real HTTP: the full app with `WHATSAPP_CLOUD_*`
 * pointing at a fake Graph API (`test/support/fake-graph-api.ts`), fed recorded webhook payloads
 * (`test/fixtures/whatsapp-cloud/*.json`) signed with the app secret as Meta signs them, on the
 * memory store and on a real redis-server. Replies leave after the webhook's 200, so tests wait for
 * the fake to see the send rather than sleeping.
 */
import { seedDemoUsers } from '../../src/auth/demo-users';
import { ManualClock } from '../../src/domain/clock';
import type { RunningServer } from '../../src/server';
import { startTestApp } from '../support/app';
import { call, login, PASSWORD } from '../support/console';
import { startFakeGraphApi, type FakeGraphApi, type GraphSend } from '../support/fake-graph-api';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';
import {
  postWebhook as post,
  signWebhook as sign,
  textWebhook as text,
  WA_ACCESS_TOKEN as ACCESS_TOKEN,
  WA_PHONE_NUMBER_ID as PHONE_NUMBER_ID,
  WA_VERIFY_TOKEN as VERIFY_TOKEN,
  webhook,
  whatsappCloudEnv,
} from '../support/whatsapp-cloud';

jest.setTimeout(30_000);

type Backend = { name: string; env: () => Record<string, string> };
let redis: TestRedisServer | undefined;
const backends: Backend[] = [
  { name: 'memory', env: () => ({}) },
  { name: 'redis', env: () => ({ REDIS_URL: `${redis!.url}/7` }) },
];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

let nextCustomer = 6_281_300_000_000;
/** A new customer's wa_id, unique within this file. */
const customer = () => String(++nextCustomer);

const env = (graph: FakeGraphApi, extra: Record<string, string> = {}) => ({
  DEMO_PASSWORD: PASSWORD,
  ...whatsappCloudEnv(graph, extra),
});

/** A new customer who asked for a person (now, on the app's clock), once the bot's reply left: wa_id and ticket. */
async function handedOff(app: RunningServer, graph: FakeGraphApi) {
  const waId = customer();
  await post(app, text(waId, 'mau bicara dengan petugas'));
  await graph.waitFor(() => graph.sentTo(waId).length >= 1);
  const ticketId = (await app.stores.conversations.get(`whatsapp:${waId}`))!.ticketId!;
  return { waId, ticketId };
}

/** Polls `read` until it returns something (status events are processed after the webhook's 200). */
async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The choices of an interactive message (reply buttons or list rows). */
function choicesOf(send: GraphSend): { id: string; title: string }[] {
  const i = send.body.interactive;
  if (i.type === 'button') return i.action.buttons.map((b: { reply: { id: string; title: string } }) => b.reply);
  return i.action.sections.flatMap((s: { rows: { id: string; title: string }[] }) => s.rows);
}

describe.each(backends)('WhatsApp Cloud API customers ($name store)', (backend) => {
  let app: RunningServer;
  let graph: FakeGraphApi;
  const received = (waId: string, count: number) =>
    graph.waitFor(() => graph.sentTo(waId).length >= count).then(() => graph.sentTo(waId));
  const variants = (id: string, locale: 'id' | 'en') => app.brain().content.templates.get(id)!.variants[locale];
  const conversation = (waId: string) => app.stores.conversations.get(`whatsapp:${waId}`);

  beforeAll(async () => {
    graph = await startFakeGraphApi(ACCESS_TOKEN);
    app = await startTestApp({ env: { ...backend.env(), ...env(graph) }, whatsappRetry: { baseDelayMs: 5 } });
    if (app.stores.kind === 'redis') await seedDemoUsers(app.auth, PASSWORD);
  });
  afterAll(async () => {
    await app.close();
    await graph.stop();
  });

  test("Meta's verification handshake: the challenge comes back only with the right verify token", async () => {
    const url = (token: string, mode = 'subscribe') =>
      `${app.url}/channels/whatsapp/webhook?hub.mode=${mode}&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;
    const ok = await fetch(url(VERIFY_TOKEN));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    for (const bad of [url('wrong-token-0123456789'), url(`${VERIFY_TOKEN}x`), url(VERIFY_TOKEN, 'unsubscribe')]) {
      const res = await fetch(bad);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('1158201444');
    }
  });

  test('a missing, wrong or stale signature gets 401 and nothing is processed or sent', async () => {
    const waId = customer();
    const body = text(waId, 'jam buka toko brp kak?');
    const raw = JSON.stringify(body);
    const tampered = raw.replace('jam buka', 'JAM BUKA');
    for (const [payload, signature] of [
      [raw, null],
      [raw, ''],
      [raw, 'sha256=deadbeef'],
      [raw, sign(raw, 'another-app-secret-0123456789')],
      [tampered, sign(raw)],
      ['not json at all', null],
    ] as const) {
      const res = await post(app, payload, signature);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('WHATSAPP_SIGNATURE_INVALID');
    }
    expect(graph.sentTo(waId)).toEqual([]);
    expect(await conversation(waId)).toBeNull();
  });

  test('a signed body that is not JSON, or not a WhatsApp webhook, gets 400', async () => {
    expect((await post(app, '{"object": ')).status).toBe(400);
    const other = await post(app, { object: 'page', entry: [] });
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe('VALIDATION_FAILED');
  });

  test('a text message is answered in the chat, with the name from the contact card kept', async () => {
    const waId = customer();
    const res = await post(app, text(waId, 'jam buka toko brp kak?'));
    expect(res.status).toBe(200);
    const [reply] = await received(waId, 1);
    expect(reply!.phoneNumberId).toBe(PHONE_NUMBER_ID);
    expect(reply!.token).toBe(ACCESS_TOKEN);
    expect(reply!.body).toMatchObject({ messaging_product: 'whatsapp', to: waId, type: 'text' });
    const conv = (await conversation(waId))!;
    expect(conv.transcript[0]!.meta?.intent).toBe('store_hours');
    expect(conv.transcript[1]!.text).toBe(reply!.body.text.body);
    expect(conv.customerName).toBe('Siti Rahma');
  });

  test('the same wamid delivered twice (a Meta re-send) is answered once', async () => {
    const waId = customer();
    const body = text(waId, 'alamat toko dimana kak');
    expect((await post(app, body)).status).toBe(200);
    expect((await post(app, body)).status).toBe(200);
    await received(waId, 1);
    await post(app, text(waId, 'makasih ya'));
    await received(waId, 2);
    expect(graph.sentTo(waId)).toHaveLength(2);
  });

  test('a clarifying question comes as interactive choices; tapping one answers it; an old tap is told it expired', async () => {
    const waId = customer();
    await post(app, text(waId, 'pesan'));
    const [question] = await received(waId, 1);
    expect(question!.body.type).toBe('interactive');
    const choices = choicesOf(question!);
    expect(choices.length).toBeGreaterThanOrEqual(2);
    for (const c of choices)
      expect([...c.title].length).toBeLessThanOrEqual(question!.body.interactive.type === 'button' ? 20 : 24);
    const pending = (await conversation(waId))!.clarification!;
    const option = pending.options.find((o) => o.intent !== null)!;

    const tap = (id: string) =>
      webhook(choices.length <= 3 ? 'button-reply' : 'list-reply', waId, (m) => {
        const reply = m.interactive.button_reply ?? m.interactive.list_reply;
        reply.id = id;
      });
    expect((await post(app, tap(option.choice.id))).status).toBe(200);
    const [, answer] = await received(waId, 2);
    expect(answer!.body.type).toBe('text');
    expect((await conversation(waId))!.state).toBe('bot');
    expect((await conversation(waId))!.transcript.at(-2)!.meta?.intent).toBe(option.intent);

    await post(app, tap(option.choice.id));
    const [, , expired] = await received(waId, 3);
    expect(variants('choice_expired', 'id')).toContain(expired!.body.text.body);
  });

  test('a list is used for more than three choices, a row title at most 24 characters', async () => {
    // The CSAT question offers five ratings: after a resolve it arrives as a list.
    const { waId, ticketId } = await handedOff(app, graph);
    const supervisor = await login(app, 'supervisor');
    expect((await call(app, 'POST', `/api/tickets/${ticketId}/resolve`, { as: supervisor, body: {} })).status).toBe(
      200,
    );
    const sends = await received(waId, 2);
    const csat = sends.find((s) => s.body.type === 'interactive')!;
    expect(csat.body.interactive.type).toBe('list');
    expect(choicesOf(csat)).toHaveLength(5);
    expect(csat.body.interactive.action.button.length).toBeLessThanOrEqual(20);

    // Tapping a row (a list_reply, the other interactive answer) gives the rating.
    const five = choicesOf(csat).find((c) => c.title.startsWith('5'))!;
    const row = webhook('list-reply', waId, (m) => {
      m.interactive.list_reply.id = five.id;
      m.interactive.list_reply.title = five.title;
    });
    expect((await post(app, row)).status).toBe(200);
    const [thanks] = (await received(waId, sends.length + 1)).slice(-1);
    expect(variants('csat_thanks', 'id')).toContain(thanks!.body.text.body);
    expect((await app.stores.tickets.get(ticketId))!.csat?.score).toBe(5);
  });

  test('a photo with a caption is classified by the caption, kept on the ticket, and agents can download it', async () => {
    const waId = customer();
    const body = webhook('image-caption', waId);
    const mediaId = body.entry[0].changes[0].value.messages[0].image.id as string;
    graph.addMedia(mediaId, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    await post(app, body);
    await received(waId, 1);
    const ticket = (await app.stores.tickets.get((await conversation(waId))!.ticketId!))!;
    expect(ticket.category).toBe('technical');
    const index = ticket.messages.findIndex((m) => m.attachment);
    expect(ticket.messages[index]!.attachment).toMatchObject({ kind: 'photo', ref: mediaId, mimeType: 'image/jpeg' });
    const agent = await login(app, 'supervisor');
    const file = await fetch(`${app.url}/api/tickets/${ticket.id}/attachments/${index}`, {
      headers: { cookie: agent.cookie },
    });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
  });

  test('a document with a caption, sent while a ticket is open, reaches the ticket with its file name', async () => {
    const { waId, ticketId } = await handedOff(app, graph);
    const body = webhook('document', waId);
    const mediaId = body.entry[0].changes[0].value.messages[0].document.id as string;
    expect((await post(app, body)).status).toBe(200);
    const ticket = await eventually(async () => {
      const t = (await app.stores.tickets.get(ticketId))!;
      return t.messages.some((m) => m.attachment) ? t : undefined;
    });
    const message = ticket.messages.find((m) => m.attachment)!;
    expect(message.text).toContain('ini bukti transfernya kak');
    expect(message.attachment).toMatchObject({
      kind: 'document',
      ref: mediaId,
      mimeType: 'application/pdf',
      fileName: 'bukti-transfer.pdf',
    });
  });

  test('a sticker, a voice note, a location and an unsupported message get a polite "please type"', async () => {
    for (const name of ['sticker', 'voice', 'location', 'unsupported']) {
      const waId = customer();
      await post(app, webhook(name, waId));
      const [reply] = await received(waId, 1);
      expect(variants('non_text_prompt', 'id')).toContain(reply!.body.text.body);
    }
  });

  test("an agent's reply from the console reaches the customer with the agent's name; a 'failed' status is noted on the ticket", async () => {
    const { waId, ticketId } = await handedOff(app, graph);
    const supervisor = await login(app, 'supervisor');
    const res = await call(app, 'POST', `/api/tickets/${ticketId}/reply`, {
      as: supervisor,
      body: { text: 'Halo Kak, ada yang bisa dibantu?' },
    });
    expect(res.status).toBe(200);
    const [, reply] = await received(waId, 2);
    expect(reply!.body.text.body).toMatch(/^\*.+\*: Halo Kak, ada yang bisa dibantu\?$/);

    // Meta accepted it, then reported it failed (twice: a re-sent webhook): the ticket is noted once.
    const status = webhook('status-failed', waId);
    status.entry[0].changes[0].value.statuses[0].id = reply!.messageId;
    expect((await post(app, status)).status).toBe(200);
    expect((await post(app, status)).status).toBe(200);
    const noted = await eventually(async () =>
      (await app.stores.tickets.get(ticketId))!.notes.find((n) => n.text.includes('131047')),
    );
    expect(noted.author).toBe('delivery');
    const detail = await eventually(async () => {
      const body = (await call(app, 'GET', `/api/tickets/${ticketId}`, { as: supervisor })).body;
      return body.delivery?.state === 'failed' ? body : undefined;
    });
    expect(detail.delivery).toEqual({ messageId: reply!.messageId, state: 'failed', at: 1736128870_000 });
    expect(detail.ticket.notes.filter((n: { text: string }) => n.text.includes('131047'))).toHaveLength(1);
  });

  test("status events move the agent's reply forward: delivered, then read; a late delivered changes nothing", async () => {
    const { waId, ticketId } = await handedOff(app, graph);
    const supervisor = await login(app, 'supervisor');
    expect(
      (await call(app, 'POST', `/api/tickets/${ticketId}/reply`, { as: supervisor, body: { text: 'Siap Kak' } }))
        .status,
    ).toBe(200);
    const [, reply] = await received(waId, 2);
    const deliveryOf = async () =>
      (await call(app, 'GET', `/api/tickets/${ticketId}`, { as: supervisor })).body.delivery;
    expect(await deliveryOf()).toMatchObject({ messageId: reply!.messageId, state: 'sent' });

    const event = (state: string, seconds: number) => {
      const body = webhook('status-delivered', waId);
      Object.assign(body.entry[0].changes[0].value.statuses[0], {
        id: reply!.messageId,
        status: state,
        timestamp: String(seconds),
      });
      return body;
    };
    // The webhook answers 200 once the status is recorded (otherwise Meta sends it again).
    expect((await post(app, event('delivered', 1736128900))).status).toBe(200);
    expect(await deliveryOf()).toMatchObject({ state: 'delivered', at: 1736128900_000 });
    expect((await post(app, event('read', 1736128960))).status).toBe(200);
    expect(await deliveryOf()).toMatchObject({ state: 'read', at: 1736128960_000 });
    // Meta's events arrive out of order: a delivered that comes after read is old news.
    expect((await post(app, event('delivered', 1736128930))).status).toBe(200);
    expect((await post(app, event('sent', 1736128890))).status).toBe(200);
    expect(await deliveryOf()).toEqual({ messageId: reply!.messageId, state: 'read', at: 1736128960_000 });
    expect((await app.stores.tickets.get(ticketId))!.notes.filter((n) => n.author === 'delivery')).toHaveLength(0);
  });

  test('429 and throttling are retried: the reply arrives once', async () => {
    const waId = customer();
    graph.fail({ status: 429, code: 130429, message: 'Rate limit hit' }, { status: 400, code: 131056 });
    await post(app, text(waId, 'jam buka toko brp kak?'));
    await graph.waitFor(() => graph.sentTo(waId).some((s) => s.messageId));
    const sends = graph.sentTo(waId);
    expect(sends).toHaveLength(3);
    expect(sends.filter((s) => s.messageId)).toHaveLength(1);
  });
});

describe('WhatsApp Cloud API: the 24-hour customer-service window', () => {
  let graph: FakeGraphApi;
  beforeAll(async () => {
    graph = await startFakeGraphApi(ACCESS_TOKEN);
  });
  afterAll(async () => {
    await graph.stop();
  });

  test('within 24 hours a reply is free text; after, without a template, the agent is told and nothing is recorded', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T03:00:00Z'));
    const app = await startTestApp({ env: env(graph), clock, whatsappRetry: { baseDelayMs: 5 } });
    try {
      const { waId, ticketId } = await handedOff(app, graph);
      clock.advance(23 * 60 * 60_000);
      // (Console sessions expire after 12 idle hours of the same clock: log in now.)
      let supervisor = await login(app, 'supervisor');
      const inside = await call(app, 'POST', `/api/tickets/${ticketId}/reply`, {
        as: supervisor,
        body: { text: 'Masih ada, Kak?' },
      });
      expect(inside.status).toBe(200);
      expect(graph.sentTo(waId).at(-1)!.body.type).toBe('text');

      clock.advance(2 * 60 * 60_000);
      supervisor = await login(app, 'supervisor');
      const before = (await app.stores.tickets.get(ticketId))!.messages.length;
      const outside = await call(app, 'POST', `/api/tickets/${ticketId}/reply`, {
        as: supervisor,
        body: { text: 'Halo lagi, Kak' },
      });
      expect(outside.status).toBe(409);
      expect(outside.body.error.code).toBe('WHATSAPP_WINDOW_CLOSED');
      expect((await app.stores.tickets.get(ticketId))!.messages).toHaveLength(before);
      expect(graph.sentTo(waId)).toHaveLength(2);

      // Resolving works, but the rating question cannot go out: the ticket says so, and the
      // conversation does not wait for a rating that will never come.
      const resolved = await call(app, 'POST', `/api/tickets/${ticketId}/resolve`, { as: supervisor, body: {} });
      expect(resolved.status).toBe(200);
      const note = (await app.stores.tickets.get(ticketId))!.notes.find((n) => n.author === 'delivery');
      expect(note?.text).toContain('WHATSAPP_WINDOW_CLOSED');
      expect((await app.stores.conversations.get(`whatsapp:${waId}`))!.pendingCsat).toBeUndefined();
      expect(graph.sentTo(waId)).toHaveLength(2);
    } finally {
      await app.close();
    }
  });

  test('after 24 hours, with an approved template configured, the reply goes out as that template', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T03:00:00Z'));
    const app = await startTestApp({
      env: env(graph, {
        WHATSAPP_CLOUD_REENGAGE_TEMPLATE: 'balasan_petugas',
        WHATSAPP_CLOUD_REENGAGE_TEMPLATE_LANG: 'id',
      }),
      clock,
      whatsappRetry: { baseDelayMs: 5 },
    });
    try {
      const { waId, ticketId } = await handedOff(app, graph);
      clock.advance(30 * 60 * 60_000);
      const supervisor = await login(app, 'supervisor');
      const res = await call(app, 'POST', `/api/tickets/${ticketId}/reply`, {
        as: supervisor,
        body: { text: 'Kak, teknisi kami\nbesok datang jam 9' },
      });
      expect(res.status).toBe(200);
      const sent = graph.sentTo(waId).at(-1)!;
      expect(sent.body).toMatchObject({
        type: 'template',
        template: { name: 'balasan_petugas', language: { code: 'id' } },
      });
      const parameter = sent.body.template.components[0].parameters[0].text as string;
      expect(parameter).toContain('teknisi kami · besok datang jam 9');
      expect(parameter).not.toContain('\n');

      // The rating question after a resolve goes out as the template too.
      expect((await call(app, 'POST', `/api/tickets/${ticketId}/resolve`, { as: supervisor, body: {} })).status).toBe(
        200,
      );
      const csat = await graph.waitFor(() => graph.sentTo(waId).length >= 3).then(() => graph.sentTo(waId).at(-1)!);
      expect(csat.body).toMatchObject({ type: 'template', template: { name: 'balasan_petugas' } });
      expect((await app.stores.conversations.get(`whatsapp:${waId}`))!.pendingCsat).toBeDefined();
    } finally {
      await app.close();
    }
  });
});
