/**
 * The REST channel end to end over real HTTP, with the real wiring and the shipped sample
 * content, once on the memory store and once on a real redis-server.
 */
import { startRedisServer } from '../support/redis-server';
import { postJson, startTestApp } from '../support/app';
import type { RunningServer } from '../../src/server';
import { formatSla } from '../../src/handoff/sla';

type Backend = { name: string; env: () => Record<string, string> };
/** `/api/nlu/parse` needs the `nlu:parse` permission; the admin token carries it. */
const ADMIN_TOKEN = 'rest-channel-admin-token-0123456789';
let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;

const backends: Backend[] = [
  { name: 'memory', env: () => ({ ADMIN_API_TOKEN: ADMIN_TOKEN }) },
  { name: 'redis', env: () => ({ REDIS_URL: `${redis!.url}/2`, ADMIN_API_TOKEN: ADMIN_TOKEN }) },
];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

describe.each(backends)('REST channel over HTTP ($name store)', (backend) => {
  let app: RunningServer;
  let n = 0;
  const sender = () => `it-${backend.name}-${++n}-${Date.now()}`;
  const say = (from: string, text: string, extra: Record<string, unknown> = {}) =>
    postJson(`${app.url}/channels/rest/messages`, { sender: from, text, ...extra });

  beforeAll(async () => {
    app = await startTestApp({ env: backend.env() });
  });
  afterAll(async () => {
    await app.close();
  });

  test('answers an Indonesian FAQ in Indonesian, from its template', async () => {
    const { status, body } = await say(sender(), 'jam buka toko brp kak?');
    expect(status).toBe(200);
    expect(body.action).toBe('answer');
    expect(body.intent).toBe('store_hours');
    expect(body.state).toBe('bot');
    const content = app.brain().content;
    expect(body.replies[0].text).toContain(content.routing.business.hoursText.id);
  });

  test('answers an English FAQ in English', async () => {
    const { body } = await say(sender(), 'what time does your store open?');
    expect(body.action).toBe('answer');
    expect(body.intent).toBe('store_hours');
    expect(body.replies[0].text).toContain(app.brain().content.routing.business.hoursText.en);
  });

  test('billing: asks for the customer number first, then queues a verified ticket with the SLA', async () => {
    const who = sender();
    const first = await say(who, 'tagihan saya bulan ini tidak sesuai sama invoice, kok lebih mahal?');
    expect(first.body.action).toBe('handoff');
    expect(first.body.category).toBe('billing');
    expect(first.body.state).toBe('verifying');
    expect(first.body.ticketId).toBeUndefined();

    const second = await say(who, 'nomor pelanggan saya 1234567890');
    expect(second.body.action).toBe('handoff');
    expect(second.body.state).toBe('queued');
    expect(second.body.ticketNumber).toMatch(/^MJ-\d{6}$/);
    const text: string = second.body.replies[0].text;
    expect(text).toContain(second.body.ticketNumber);
    expect(text).toContain('Tim Billing');
    expect(text).toContain('2–4 jam kerja');

    const ticket = await app.stores.tickets.get(second.body.ticketId);
    expect(ticket).toMatchObject({ category: 'billing', team: 'billing', status: 'new' });
    expect(ticket!.context.verification).toEqual({ fields: { customer_number: '1234567890' }, verified: true });
    expect(ticket!.context.originalText).toContain('tagihan saya bulan ini');
  });

  test('billing: a customer who declines the details is queued unverified', async () => {
    const who = sender();
    await say(who, 'saya sudah bayar tapi status tagihan masih belum lunas');
    const { body } = await say(who, 'lewati aja');
    expect(body.state).toBe('queued');
    const ticket = await app.stores.tickets.get(body.ticketId);
    expect(ticket!.context.verification?.verified).toBe(false);
  });

  test.each([
    ['complaint', 'pelayanan teknisi kalian sangat mengecewakan, saya kecewa berat', 1],
    ['emergency', 'jaringan internet putus total satu komplek dari pagi!!', 0],
    ['human', 'saya mau bicara dengan petugas cs saja', 3],
    ['technical', 'modem saya muncul error E02 terus, internetnya tidak bisa connect sama sekali', 2],
  ])('%s: hands off at once with the category’s channel-switch message (team, SLA, ticket)', async (category, text, priority) => {
    const { body } = await say(sender(), text);
    expect(body.action).toBe('handoff');
    expect(body.category).toBe(category);
    expect(body.state).toBe('queued');
    const ticket = await app.stores.tickets.get(body.ticketId);
    expect(ticket!.priority).toBe(priority);
    const content = app.brain().content;
    const route = content.routing.categories[category]!;
    const teamName = content.routing.teams[route.team]!.name.id;
    expect(body.replies[0].text).toContain(teamName);
    expect(body.replies[0].text).toContain(body.ticketNumber);
    expect(body.replies[0].text).toContain(formatSla(route.sla, 'id'));
    expect(ticket!.slaDeadline).toBeGreaterThan(ticket!.createdAt);
  });

  test('emergencies jump the queue', async () => {
    await say(sender(), 'saya mau ngomong sama admin');
    const { body } = await say(sender(), 'ada kebocoran data di akun saya, akun saya dibobol orang');
    expect(body.category).toBe('emergency');
    const queue = await app.stores.tickets.listQueue();
    expect(queue[0]!.priority).toBe(0);
  });

  test('the bot stays silent while the conversation is queued; messages go to the ticket', async () => {
    const who = sender();
    const handoff = await say(who, 'saya mau bicara dengan manusia, bukan bot');
    expect(handoff.body.state).toBe('queued');
    const later = await say(who, 'jam buka toko brp?');
    expect(later.body).toMatchObject({ action: 'relay', replies: [], state: 'queued' });
    const ticket = await app.stores.tickets.get(handoff.body.ticketId);
    expect(ticket!.messages.map((m) => m.text)).toContain('jam buka toko brp?');
  });

  test('a re-delivered message (same messageId) is processed once', async () => {
    const who = sender();
    const first = await say(who, 'halo kak', { messageId: 'm-1' });
    const again = await say(who, 'halo kak', { messageId: 'm-1' });
    expect(first.body.action).toBe('answer');
    expect(again.body).toMatchObject({ action: 'none', duplicate: true, replies: [] });
    const conv = await app.stores.conversations.get(`rest:${who}`);
    expect(conv!.transcript.filter((t) => t.from === 'customer')).toHaveLength(1);
  });

  describe('bad input gets a clear error and changes nothing', () => {
    test('malformed JSON → 400 BAD_REQUEST', async () => {
      const who = sender();
      const { status, body } = await postJson(`${app.url}/channels/rest/messages`, `{"sender":"${who}","text":`);
      expect(status).toBe(400);
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(await app.stores.conversations.get(`rest:${who}`)).toBeNull();
    });

    test('missing and wrong fields → 400 VALIDATION_FAILED naming each field', async () => {
      const { status, body } = await postJson(`${app.url}/channels/rest/messages`, { text: 5, extra: true });
      expect(status).toBe(400);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      const fields = body.error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['sender', 'text']));
    });

    test('a message over MAX_MESSAGE_CHARS → 413, nothing stored', async () => {
      const who = sender();
      const { status, body } = await say(who, 'a'.repeat(4001));
      expect(status).toBe(413);
      expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await app.stores.conversations.get(`rest:${who}`)).toBeNull();
    });

    test('a body over the size limit → 413', async () => {
      const { status, body } = await say(sender(), 'a'.repeat(200 * 1024));
      expect(status).toBe(413);
      expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    test('a non-JSON content type → 415', async () => {
      const res = await fetch(`${app.url}/channels/rest/messages`, { method: 'POST', body: 'sender=a&text=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.status).toBe(415);
      expect((await res.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    test('a choice with no pending question → 400 UNKNOWN_CHOICE, nothing stored', async () => {
      const who = sender();
      const { status, body } = await say(who, '', { choice: 'c1' });
      expect(status).toBe(400);
      expect(body.error.code).toBe('UNKNOWN_CHOICE');
      expect(await app.stores.conversations.get(`rest:${who}`)).toBeNull();
    });

    test('unknown routes → JSON 404', async () => {
      const res = await fetch(`${app.url}/api/nope`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('NOT_FOUND');
    });
  });

  test('health and readiness', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = await ready.json();
    expect(body).toMatchObject({ status: 'ready', store: { kind: backend.name, ok: true }, content: { ok: true } });
    expect(body.content.intents).toBeGreaterThanOrEqual(25);
  });

  test('POST /api/nlu/parse explains what the bot understands and would do', async () => {
    const { status, body } = await postJson(
      `${app.url}/api/nlu/parse`,
      { text: 'harga paket internet brp ya?' },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ action: 'answer', category: 'info' });
    expect(typeof body.intent).toBe('string');
    const sum = body.ranking.reduce((s: number, r: { confidence: number }) => s + r.confidence, 0);
    expect(sum).toBeLessThanOrEqual(1 + 1e-9);
    expect(body.rule).toMatch(/^answer:/);
  });
});
