/**
 * The customer's side of the handoff desk over real HTTP, with the real wiring and the shipped
 * sample content, on the memory store and on a real redis-server: agent replies reach a REST
 * customer through `GET /channels/rest/messages`, the CSAT question after a resolve, reopening
 * within the window (and not after it), "batal" while queued, a customer reply to a ticket that
 * waits for them, and the honest notice when nobody can answer soon. Time is a `ManualClock`.
 */
import { ManualClock } from '../../src/domain/clock';
import type { AttentionReason, Ticket } from '../../src/domain/ticket';
import type { StaffMember } from '../../src/handoff/service';
import { formatLocalTime, slaAtRiskFrom } from '../../src/handoff/sla';
import type { RunningServer } from '../../src/server';
import { postJson, startTestApp } from '../support/app';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';

jest.setTimeout(30_000);

type Backend = { name: string; env: () => Record<string, string> };
let redis: TestRedisServer | undefined;

const backends: Backend[] = [
  { name: 'memory', env: () => ({}) },
  { name: 'redis', env: () => ({ REDIS_URL: `${redis!.url}/3` }) },
];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

/** 09:00 WIB on a day of January 2025 (the 6th is a Monday); the shop is open 08–17 on weekdays. */
const morning = (day: number) => Date.parse(`2025-01-${String(day).padStart(2, '0')}T09:00:00+07:00`);
const MINUTE = 60_000;

const sari: StaffMember = { id: 'sari', role: 'agent', displayName: 'Sari', teams: ['frontline'] };

describe.each(backends)('customer side of the handoff desk ($name store)', (backend) => {
  let app: RunningServer;
  const clock = new ManualClock(morning(6));
  let n = 0;
  const sender = () => `desk-${backend.name}-${++n}`;
  const say = (from: string, text: string, extra: Record<string, unknown> = {}) =>
    postJson(`${app.url}/channels/rest/messages`, { sender: from, text, ...extra });
  const alerts: { ticket: Ticket; reason: AttentionReason }[] = [];
  /** The texts a template may say (one is picked at random). */
  const variants = (id: string, locale: 'id' | 'en') => app.brain().content.templates.get(id)!.variants[locale];

  async function poll(query: Record<string, string>) {
    const res = await fetch(`${app.url}/channels/rest/messages?${new URLSearchParams(query)}`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  }

  /** Sari is online in the frontline team, and a customer who asked for a person is hers. */
  async function withSari(who: string, locale?: 'id' | 'en') {
    await app.handoff.heartbeat(sari, 4 * 60 * MINUTE);
    const text = locale === 'en' ? 'I want to talk to a person' : 'saya mau bicara dengan petugas';
    const { body } = await say(who, text, locale ? { locale } : {});
    expect(body).toMatchObject({ action: 'handoff', state: 'queued', category: 'human' });
    // Auto-assignment may have given it to Sari already; claiming one's own ticket is fine.
    expect(await app.handoff.claim(body.ticketId, sari)).toMatchObject({ ok: true });
    return body as { ticketId: string; ticketNumber: string; replies: { text: string }[] };
  }

  beforeAll(async () => {
    app = await startTestApp({ env: backend.env(), clock });
    app.handoff.on('supervisor_alert', (alert) => alerts.push(alert));
  });
  afterAll(async () => {
    await app.close();
  });

  test("an agent's reply reaches the REST customer with the agent's name; the cursor pages", async () => {
    clock.set(morning(6));
    const who = sender();
    const handed = await withSari(who);
    // Online in opening hours: no "nobody is there" notice.
    expect(handed.replies[0]!.text).not.toContain('belum ada petugas');

    expect(await poll({ sender: who })).toMatchObject({ status: 200, body: { messages: [], cursor: '0-0' } });
    clock.advance(MINUTE);
    await app.handoff.reply(handed.ticketId, sari, 'Halo Kak, saya Sari. Ada yang bisa dibantu?');
    clock.advance(MINUTE);
    await app.handoff.reply(handed.ticketId, sari, 'Pesanan Kakak sudah saya cek ya.');

    const all = await poll({ sender: who });
    expect(all.headers.get('cache-control')).toBe('no-store');
    expect(all.body.messages).toEqual([
      {
        cursor: expect.any(String),
        text: 'Halo Kak, saya Sari. Ada yang bisa dibantu?',
        from: { kind: 'agent', name: 'Sari' },
        at: new Date(morning(6) + MINUTE).toISOString(),
      },
      {
        cursor: expect.any(String),
        text: 'Pesanan Kakak sudah saya cek ya.',
        from: { kind: 'agent', name: 'Sari' },
        at: new Date(morning(6) + 2 * MINUTE).toISOString(),
      },
    ]);
    expect(all.body.cursor).toBe(all.body.messages[1].cursor);

    const first = await poll({ sender: who, limit: '1' });
    expect(first.body.messages.map((m: { text: string }) => m.text)).toEqual([
      'Halo Kak, saya Sari. Ada yang bisa dibantu?',
    ]);
    const second = await poll({ sender: who, after: first.body.cursor, limit: '1' });
    expect(second.body.messages.map((m: { text: string }) => m.text)).toEqual(['Pesanan Kakak sudah saya cek ya.']);
    expect((await poll({ sender: who, after: second.body.cursor })).body).toEqual({
      messages: [],
      cursor: second.body.cursor,
    });
    // Someone else's outbox is empty.
    expect((await poll({ sender: sender() })).body.messages).toEqual([]);
    // The customer's reply goes to Sari's ticket; the bot stays silent.
    expect((await say(who, 'oke kak makasih')).body).toMatchObject({ action: 'relay', replies: [] });
  });

  test('GET /channels/rest/messages rejects a bad query with 400 and says which field', async () => {
    for (const query of <Record<string, string>[]>[
      {},
      { sender: 'ada spasi' },
      { sender: 'web-1', after: 'abc' },
      { sender: 'web-1', limit: '0' },
      { sender: 'web-1', limit: '500' },
      { sender: 'web-1', extra: '1' },
    ]) {
      const { status, body } = await poll(query);
      expect(status).toBe(400);
      expect(body.error.code).toBe('VALIDATION_FAILED');
    }
    const { body } = await poll({ sender: 'web-1', after: 'nope' });
    expect(body.error.details).toEqual([{ field: 'after', message: 'after must be a cursor returned by this API' }]);
    const repeated = await fetch(`${app.url}/channels/rest/messages?sender=a&sender=b`);
    expect(repeated.status).toBe(400);
  });

  test('resolve: the CSAT question arrives in the outbox, "5" is recorded and thanked, the next FAQ is the bot again', async () => {
    clock.set(morning(7));
    const who = sender();
    const handed = await withSari(who);
    await app.handoff.reply(handed.ticketId, sari, 'Sudah saya bantu reset ya, Kak.');
    clock.advance(5 * MINUTE);
    await app.handoff.resolve(handed.ticketId, sari);

    const { body } = await poll({ sender: who });
    const question = body.messages.at(-1);
    expect(question.from).toEqual({ kind: 'bot' });
    expect(question.text).toContain(handed.ticketNumber);
    expect(question.text).toContain('Seberapa puas');
    expect(question.buttons.map((b: { id: string }) => b.id)).toEqual([
      'csat_1',
      'csat_2',
      'csat_3',
      'csat_4',
      'csat_5',
    ]);

    clock.advance(MINUTE);
    const rated = await say(who, '5');
    expect(rated.body).toMatchObject({ action: 'csat', state: 'bot', ticketNumber: handed.ticketNumber });
    expect(variants('csat_thanks', 'id')).toContain(rated.body.replies[0].text);
    const ticket = await app.stores.tickets.get(handed.ticketId);
    expect(ticket).toMatchObject({ status: 'resolved', csat: { score: 5, at: morning(7) + 6 * MINUTE } });

    // Well within the reopen window: an FAQ is simply answered, the ticket stays resolved.
    const faq = await say(who, 'jam buka toko brp?');
    expect(faq.body).toMatchObject({ action: 'answer', intent: 'store_hours', state: 'bot' });
    expect((await app.stores.tickets.get(handed.ticketId))!.status).toBe('resolved');
    // A "4" now is no longer a rating: the question was answered.
    expect((await say(who, '4')).body.action).not.toBe('csat');
  });

  test('the CSAT question in English, answered with the button, and with stars', async () => {
    clock.set(morning(8));
    const who = sender();
    const handed = await withSari(who, 'en');
    await app.handoff.resolve(handed.ticketId, sari);
    const { body } = await poll({ sender: who });
    expect(body.messages.at(-1).text).toContain('How satisfied are you');
    const tapped = await say(who, '', { choice: 'csat_4', locale: 'en' });
    expect(tapped.body).toMatchObject({ action: 'csat' });
    expect(variants('csat_thanks', 'en')).toContain(tapped.body.replies[0].text);
    expect((await app.stores.tickets.get(handed.ticketId))!.csat!.score).toBe(4);

    const again = await withSari(sender());
    await app.handoff.resolve(again.ticketId, sari);
    const starred = await say(`desk-${backend.name}-${n}`, '⭐⭐');
    expect(starred.body.action).toBe('csat');
    expect(variants('csat_thanks_low', 'id')).toContain(starred.body.replies[0].text);
    expect((await app.stores.tickets.get(again.ticketId))!.csat!.score).toBe(2);
  });

  test('a problem message within the reopen window reopens the ticket to the same team; after it, a fresh start', async () => {
    clock.set(morning(9));
    const who = sender();
    const handed = await withSari(who);
    await app.handoff.resolve(handed.ticketId, sari);
    clock.advance(30 * MINUTE); // the window's last minute (30 in the sample routing)
    const reopened = await say(who, 'masih belum bisa kak');
    expect(reopened.body).toMatchObject({
      action: 'handoff',
      rule: 'handoff:reopened',
      state: 'queued',
      ticketId: handed.ticketId,
      ticketNumber: handed.ticketNumber,
    });
    expect(reopened.body.replies[0].text).toContain(`tiket ${handed.ticketNumber} kami buka kembali`);
    const ticket = (await app.stores.tickets.get(handed.ticketId))!;
    expect(ticket).toMatchObject({ status: expect.stringMatching(/^(new|in_progress)$/), team: 'frontline' });
    expect(ticket.history.find((h) => h.from === 'resolved')).toMatchObject({
      to: 'new',
      actor: { role: 'customer' },
    });
    expect(ticket.messages.at(-1)).toMatchObject({ from: 'customer', text: 'masih belum bisa kak' });

    // Resolved again; this time the customer writes after the window.
    await app.handoff.claim(handed.ticketId, sari);
    await app.handoff.resolve(handed.ticketId, sari);
    clock.advance(31 * MINUTE);
    const later = await say(who, 'masih belum bisa kak');
    expect(later.body.rule).not.toBe('handoff:reopened');
    expect(later.body.ticketId).not.toBe(handed.ticketId);
    expect((await app.stores.tickets.get(handed.ticketId))!.status).toBe('resolved');
  });

  test('"batal" while queued cancels the ticket and the bot is back; once an agent has it, "batal" is for the agent', async () => {
    clock.set(morning(10)); // nobody online: the ticket waits in the queue
    const who = sender();
    const { body } = await say(who, 'saya mau bicara dengan petugas');
    expect(body.state).toBe('queued');
    const cancelled = await say(who, 'batal aja kak');
    expect(cancelled.body).toMatchObject({ action: 'cancel', state: 'bot', ticketNumber: body.ticketNumber });
    expect(cancelled.body.replies[0].text).toContain(`sudah kami batalkan (tiket ${body.ticketNumber})`);
    const ticket = (await app.stores.tickets.get(body.ticketId))!;
    expect(ticket.status).toBe('resolved');
    expect(ticket.history.at(-1)).toMatchObject({
      from: 'new',
      to: 'resolved',
      actor: { role: 'customer', id: `rest:${who}` },
      note: 'cancelled by the customer',
    });
    expect(await app.stores.tickets.listQueue({ team: 'frontline' })).not.toContainEqual(
      expect.objectContaining({ id: body.ticketId }),
    );
    // The bot answers again, and the cancelled ticket is not reopened by the next message.
    const faq = await say(who, 'jam buka toko brp?');
    expect(faq.body).toMatchObject({ action: 'answer', intent: 'store_hours' });

    const other = sender();
    const handed = await withSari(other);
    const relayed = await say(other, 'batal');
    expect(relayed.body).toMatchObject({ action: 'relay', replies: [] });
    expect((await app.stores.tickets.get(handed.ticketId))!.status).toBe('in_progress');
  });

  test('a customer reply to a ticket waiting for them puts it back in progress', async () => {
    clock.set(morning(13));
    const who = sender();
    const handed = await withSari(who);
    await app.handoff.setStatus(handed.ticketId, sari, 'waiting_customer', 'minta nomor pesanan');
    clock.advance(MINUTE);
    const { body } = await say(who, 'nomor pesanan saya 12345');
    expect(body).toMatchObject({ action: 'relay', replies: [] });
    const ticket = (await app.stores.tickets.get(handed.ticketId))!;
    expect(ticket).toMatchObject({ status: 'in_progress', assignee: 'sari' });
    expect(ticket.history.at(-1)).toMatchObject({
      from: 'waiting_customer',
      to: 'in_progress',
      actor: { role: 'customer', id: `rest:${who}` },
    });
  });

  test('nobody of the team online in opening hours: the honest notice, the ticket flagged, supervisors alerted', async () => {
    clock.set(morning(14));
    alerts.length = 0;
    const { body } = await say(sender(), 'saya mau bicara dengan petugas');
    const ticket = (await app.stores.tickets.get(body.ticketId))!;
    expect(ticket.attention).toEqual({
      reason: 'no_agent_online',
      at: morning(14),
      expectedReplyAt: ticket.slaDeadline,
    });
    const text: string = body.replies[0].text;
    expect(text).toContain(`tiket ${body.ticketNumber}`);
    expect(text).toContain('saat ini belum ada petugas Tim Layanan Pelanggan yang online');
    const calendar = app.brain().content.routing.business.calendar;
    expect(text).toContain(`paling lambat ${formatLocalTime(ticket.slaDeadline, calendar, 'id', morning(14))}`);
    expect(alerts).toEqual([{ ticket: expect.objectContaining({ id: body.ticketId }), reason: 'no_agent_online' }]);
  });

  test('first response at risk: the waiting customer hears by when, once; supervisors are alerted', async () => {
    clock.set(morning(15));
    await app.handoff.heartbeat(sari, 4 * 60 * MINUTE);
    const who = sender();
    const { body } = await say(who, 'saya mau bicara dengan petugas');
    const ticket = (await app.stores.tickets.get(body.ticketId))!;
    alerts.length = 0;

    // Just before the warning point nothing happens; from it on, one notice and one alert.
    clock.set(slaAtRiskFrom(ticket) - 1);
    await app.slaWatcher.tick();
    expect((await poll({ sender: who })).body.messages).toEqual([]);
    clock.set(slaAtRiskFrom(ticket));
    await app.slaWatcher.tick();
    await app.slaWatcher.tick();
    const { messages } = (await poll({ sender: who })).body;
    expect(messages).toHaveLength(1);
    const calendar = app.brain().content.routing.business.calendar;
    const replyBy = formatLocalTime(ticket.slaDeadline, calendar, 'id', clock.now());
    expect(messages[0]).toMatchObject({ from: { kind: 'bot' } });
    expect(messages[0].text).toContain(`tiket ${body.ticketNumber}`);
    expect(messages[0].text).toContain(`paling lambat ${replyBy}`);
    expect(alerts).toEqual([{ ticket: expect.objectContaining({ id: body.ticketId }), reason: 'sla_at_risk' }]);
    expect((await app.stores.tickets.get(body.ticketId))!.slaAtRiskAt).toBe(slaAtRiskFrom(ticket));

    // An agent who already replied takes the ticket out of the watch: no notice for that one.
    const answered = await withSari(sender());
    await app.handoff.reply(answered.ticketId, sari, 'Halo Kak');
    clock.set(slaAtRiskFrom((await app.stores.tickets.get(answered.ticketId))!));
    expect((await app.slaWatcher.tick()).atRisk).not.toContain(answered.ticketId);
  });

  test('outside business hours: when the team opens, in the customer language; whoever is logged in', async () => {
    // Saturday 11 January 2025, 20:00 WIB: closed until Monday 08:00.
    clock.set(Date.parse('2025-01-11T20:00:00+07:00'));
    await app.handoff.heartbeat(sari, 60 * MINUTE);
    alerts.length = 0;
    const { body } = await say(sender(), 'I want to talk to a person', { locale: 'en' });
    const text: string = body.replies[0].text;
    expect(text).toContain("we're outside our service hours right now");
    expect(text).toContain('will reply from Monday 13 January at 08:00 WIB');
    const ticket = (await app.stores.tickets.get(body.ticketId))!;
    expect(ticket.attention).toMatchObject({
      reason: 'after_hours',
      expectedReplyAt: Date.parse('2025-01-13T08:00:00+07:00'),
    });
    expect(alerts.map((a) => [a.ticket.id, a.reason])).toEqual([[body.ticketId, 'after_hours']]);
  });
});
