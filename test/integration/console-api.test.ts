/**
 * The console's ticket API over real HTTP with the real wiring (memory store, demo users): every
 * route refuses anonymous callers (401) and roles without its permission (403); claim conflicts
 * name the owner; reply, note, transfer, status and resolve change the ticket and its conversation;
 * the audit log records who did what; customer notes follow CUSTOMER_NOTES_ROLES.
 */
import type { RunningServer } from '../../src/server';
import { startTestApp } from '../support/app';
import { call, complaint, login, PASSWORD, type Login } from '../support/console';

jest.setTimeout(30_000);

let app: RunningServer;
let agent1: Login;
let agent2: Login;
let supervisor: Login;
let editor: Login;
let admin: Login;

beforeAll(async () => {
  app = await startTestApp({ env: { DEMO_PASSWORD: PASSWORD } });
  [agent1, agent2, supervisor, editor, admin] = (await Promise.all(
    ['agent1', 'agent2', 'supervisor', 'editor', 'admin'].map((u) => login(app, u)),
  )) as [Login, Login, Login, Login, Login];
});
afterAll(async () => {
  await app?.close();
});

/** Every console route, with a valid body, and who may NOT call it (403). */
const ROUTES: { method: string; path: string; body?: unknown; forbidden: () => Login }[] = [
  { method: 'GET', path: '/api/tickets', forbidden: () => editor },
  { method: 'GET', path: '/api/tickets/ID', forbidden: () => editor },
  { method: 'POST', path: '/api/tickets/ID/claim', forbidden: () => editor },
  { method: 'POST', path: '/api/tickets/ID/reply', body: { text: 'halo' }, forbidden: () => editor },
  { method: 'POST', path: '/api/tickets/ID/note', body: { text: 'catatan' }, forbidden: () => editor },
  { method: 'POST', path: '/api/tickets/ID/transfer', body: { team: 'billing' }, forbidden: () => editor },
  { method: 'POST', path: '/api/tickets/ID/status', body: { status: 'waiting_customer' }, forbidden: () => editor },
  { method: 'POST', path: '/api/tickets/ID/resolve', forbidden: () => editor },
  { method: 'POST', path: '/api/tickets/take-next', forbidden: () => editor },
  { method: 'POST', path: '/api/agents/heartbeat', forbidden: () => editor },
  { method: 'GET', path: '/api/supervisor/overview', forbidden: () => agent1 },
  { method: 'GET', path: '/api/canned', forbidden: () => editor },
  { method: 'GET', path: '/api/customers/rest/someone/notes', forbidden: () => editor },
  { method: 'PUT', path: '/api/customers/rest/someone/notes', body: { text: 'x' }, forbidden: () => editor },
  { method: 'GET', path: '/api/audit', forbidden: () => agent1 },
  { method: 'GET', path: '/api/events', forbidden: () => editor },
];

describe('every console route checks the caller', () => {
  let ticketId: string;
  beforeAll(async () => {
    ({ ticketId } = await complaint(app));
  });

  test.each(ROUTES)('$method $path: 401 without a session', async ({ method, path, body }) => {
    const res = await call(app, method, path.replace('ID', ticketId), { body });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  test.each(ROUTES)(
    '$method $path: 403 for a role without the permission',
    async ({ method, path, body, forbidden }) => {
      const res = await call(app, method, path.replace('ID', ticketId), { body, as: forbidden() });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    },
  );

  test('state changes need the CSRF token of the session', async () => {
    const res = await call(app, 'POST', `/api/tickets/${ticketId}/claim`, {
      headers: { cookie: agent1.cookie },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CSRF_FAILED');
    expect((await app.stores.tickets.get(ticketId))!.status).toBe('new');
  });
});

describe('working a ticket', () => {
  test('the queue lists waiting tickets in queue order, with filters', async () => {
    const a = await complaint(app);
    const emergency = await complaint(app, 'jaringan internet putus total satu komplek dari pagi!!');
    const res = await call(app, 'GET', '/api/tickets', { as: agent1 });
    expect(res.status).toBe(200);
    const ids = res.body.tickets.map((t: { id: string }) => t.id);
    expect(ids[0]).toBe(emergency.ticketId);
    expect(ids).toContain(a.ticketId);
    const row = res.body.tickets.find((t: { id: string }) => t.id === a.ticketId);
    expect(row).toMatchObject({
      number: a.ticketNumber,
      status: 'new',
      team: 'supervisor',
      category: 'complaint',
      priority: 1,
      preview: 'pelayanan teknisi kalian sangat mengecewakan, saya kecewa berat',
    });
    const teamOnly = await call(app, 'GET', '/api/tickets?team=on_call', { as: agent1 });
    expect(teamOnly.body.tickets.map((t: { team: string }) => t.team)).toEqual(
      teamOnly.body.tickets.map(() => 'on_call'),
    );
    const bad = await call(app, 'GET', '/api/tickets?status=bogus', { as: agent1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  test('GET /api/tickets/:id returns the context packet, transcript, history and notes; 404 for unknown', async () => {
    const { ticketId } = await complaint(app, undefined, { before: ['jam buka toko brp?'] });
    const res = await call(app, 'GET', `/api/tickets/${ticketId}`, { as: agent2 });
    expect(res.status).toBe(200);
    expect(res.body.ticket).toMatchObject({
      id: ticketId,
      status: 'new',
      context: {
        category: 'complaint',
        rule: expect.any(String),
        originalText: expect.stringContaining('mengecewakan'),
      },
      history: [],
      notes: [],
    });
    // The earlier FAQ exchange, the complaint, and what the customer was told at the handoff.
    expect(res.body.ticket.messages.map((m: { from: string }) => m.from)).toEqual([
      'customer',
      'bot',
      'customer',
      'bot',
    ]);
    expect(res.body.ticket.messages[3].text).toContain(res.body.ticket.number);
    expect(res.body.customerNotes).toEqual({ allowed: true });
    expect((await call(app, 'GET', '/api/tickets/nope', { as: agent2 })).status).toBe(404);
  });

  test('a claim conflict answers 409 with the owner; the owner may claim again', async () => {
    const { ticketId } = await complaint(app);
    const won = await call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: agent1 });
    expect(won.status).toBe(200);
    expect(won.body.ticket).toMatchObject({ status: 'in_progress', assignee: 'agent1' });
    const lost = await call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: agent2 });
    expect(lost.status).toBe(409);
    expect(lost.body.error).toEqual({
      code: 'TICKET_TAKEN',
      message: 'Already claimed by Budi',
      details: { owner: 'agent1', ownerName: 'Budi', status: 'in_progress' },
    });
    expect((await call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: agent1 })).status).toBe(200);
  });

  test('of 20 concurrent claims over HTTP exactly one wins and the others are told who', async () => {
    const { ticketId } = await complaint(app);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: i % 2 ? agent1 : agent2 }),
      ),
    );
    const winners = results.filter((r) => r.status === 200);
    const owner = (await app.stores.tickets.get(ticketId))!.assignee;
    // The owner's own repeated claims succeed too; nobody else's does.
    expect(winners.every((r) => r.body.ticket.assignee === owner)).toBe(true);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.body.error.details.owner).toBe(owner);
    }
  });

  test('reply, note, waiting for the customer, resolve: the ticket and the conversation follow', async () => {
    const { ticketId, sender } = await complaint(app);
    await call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: agent1 });
    expect((await app.stores.conversations.get(`rest:${sender}`))!.state).toBe('with_agent');

    const notOwner = await call(app, 'POST', `/api/tickets/${ticketId}/reply`, { body: { text: 'halo' }, as: agent2 });
    expect(notOwner.status).toBe(409);
    expect(notOwner.body.error.code).toBe('TICKET_NOT_OWNER');

    const reply = await call(app, 'POST', `/api/tickets/${ticketId}/reply`, {
      body: { text: 'Halo Kak, saya Budi. Mohon maaf atas pengalamannya.' },
      as: agent1,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.turn).toMatchObject({
      from: 'agent',
      agent: 'Budi',
      text: 'Halo Kak, saya Budi. Mohon maaf atas pengalamannya.',
    });
    expect(reply.body.ticket.firstResponseAt).toEqual(expect.any(Number));
    const conv = await app.stores.conversations.get(`rest:${sender}`);
    expect(conv!.transcript.at(-1)).toMatchObject({ from: 'agent', agent: 'Budi' });

    // A reply id must look like one (the console sends a UUID per composed message).
    const badId = await call(app, 'POST', `/api/tickets/${ticketId}/reply`, {
      body: { text: 'halo', replyId: 'x y' },
      as: agent1,
    });
    expect(badId.status).toBe(400);
    expect(badId.body.error.code).toBe('VALIDATION_FAILED');

    const note = await call(app, 'POST', `/api/tickets/${ticketId}/note`, {
      body: { text: 'cek jadwal teknisi' },
      as: agent1,
    });
    expect(note.status).toBe(200);
    expect(note.body.ticket.notes).toEqual([{ at: expect.any(Number), author: 'agent1', text: 'cek jadwal teknisi' }]);
    expect(note.body.names).toMatchObject({ agent1: 'Budi' });

    const waiting = await call(app, 'POST', `/api/tickets/${ticketId}/status`, {
      body: { status: 'waiting_customer', note: 'minta foto' },
      as: agent1,
    });
    expect(waiting.status).toBe(200);
    expect(waiting.body.ticket.status).toBe('waiting_customer');
    expect(waiting.body.ticket.history.at(-1)).toMatchObject({
      from: 'in_progress',
      to: 'waiting_customer',
      note: 'minta foto',
    });

    const resolved = await call(app, 'POST', `/api/tickets/${ticketId}/resolve`, { as: agent1 });
    expect(resolved.status).toBe(200);
    expect(resolved.body.ticket).toMatchObject({
      status: 'resolved',
      assignee: 'agent1',
      resolvedAt: expect.any(Number),
    });
    expect(resolved.body.next).toMatchObject({ action: 'ask_csat', channel: 'rest', senderId: sender, locale: 'id' });
    expect((await app.stores.conversations.get(`rest:${sender}`))!.state).toBe('bot');

    const again = await call(app, 'POST', `/api/tickets/${ticketId}/resolve`, { as: agent1 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TICKET_TRANSITION_INVALID');
  });

  test('status refuses resolved and unknown values with 400', async () => {
    const { ticketId } = await complaint(app);
    const res = await call(app, 'POST', `/api/tickets/${ticketId}/status`, {
      body: { status: 'resolved' },
      as: agent1,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('status');
  });

  test('transfer to another team requeues there; to an agent hands the ticket over', async () => {
    const { ticketId } = await complaint(app);
    await call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: agent1 });
    const toAgent = await call(app, 'POST', `/api/tickets/${ticketId}/transfer`, {
      body: { agent: 'agent2', note: 'Dewi lebih paham soal ini' },
      as: agent1,
    });
    expect(toAgent.status).toBe(200);
    expect(toAgent.body.ticket).toMatchObject({ status: 'in_progress', assignee: 'agent2' });
    expect(toAgent.body.ticket.history.at(-1)).toMatchObject({ note: 'Dewi lebih paham soal ini', assignee: 'agent2' });

    const toTeam = await call(app, 'POST', `/api/tickets/${ticketId}/transfer`, {
      body: { team: 'supervisor' },
      as: agent2,
    });
    expect(toTeam.status).toBe(200);
    expect(toTeam.body.ticket).toMatchObject({ status: 'new', team: 'supervisor' });
    expect(toTeam.body.ticket.assignee).toBeUndefined();

    const unknownTeam = await call(app, 'POST', `/api/tickets/${ticketId}/transfer`, {
      body: { team: 'marketing' },
      as: agent2,
    });
    expect(unknownTeam.status).toBe(400);
    const unknownAgent = await call(app, 'POST', `/api/tickets/${ticketId}/transfer`, {
      body: { agent: 'nobody' },
      as: supervisor,
    });
    expect(unknownAgent.status).toBe(400);
    const both = await call(app, 'POST', `/api/tickets/${ticketId}/transfer`, { body: {}, as: supervisor });
    expect(both.status).toBe(400);
  });

  test('take-next claims the first waiting ticket of the caller’s teams, or answers null', async () => {
    // The supervisor works the `supervisor` team: complaints.
    const queue = await call(app, 'GET', '/api/tickets?team=supervisor', { as: supervisor });
    const first = queue.body.tickets[0];
    const taken = await call(app, 'POST', '/api/tickets/take-next', { as: supervisor });
    expect(taken.status).toBe(200);
    expect(taken.body.ticket).toMatchObject({
      id: first.id,
      status: 'in_progress',
      assignee: 'supervisor',
      assigneeName: 'Sari (Supervisor)',
    });
    // agent2's teams (support_l2, on_call) hold the emergency of an earlier test only; take it, then nothing is left.
    await call(app, 'POST', '/api/tickets/take-next', { as: agent2 });
    const none = await call(app, 'POST', '/api/tickets/take-next', { as: agent2 });
    expect(none.body).toEqual({ ticket: null });
  });

  test('heartbeats put agents online; the supervisor overview shows queues, SLA and agents with their load', async () => {
    const hb = await call(app, 'POST', '/api/agents/heartbeat', { as: agent1 });
    expect(hb.status).toBe(200);
    expect(hb.body.onlineUntil).toBeGreaterThan(Date.now());
    const res = await call(app, 'GET', '/api/supervisor/overview', { as: supervisor });
    expect(res.status).toBe(200);
    const team = res.body.teams.find((t: { team: string }) => t.team === 'supervisor');
    expect(team).toMatchObject({ depth: expect.any(Number), counts: expect.any(Object) });
    expect(team.depth).toBeGreaterThan(0);
    expect(team.oldestWaitMs).toBeGreaterThanOrEqual(0);
    expect(res.body.teams.map((t: { team: string }) => t.team)).toEqual(
      expect.arrayContaining(['billing', 'frontline', 'on_call', 'support_l2', 'supervisor']),
    );
    expect(res.body.sla).toMatchObject({
      met: expect.any(Number),
      breached: expect.any(Number),
      pending: expect.any(Number),
    });
    expect(res.body.sla.met).toBeGreaterThan(0);
    const budi = res.body.agents.find((a: { username: string }) => a.username === 'agent1');
    const open = (await app.stores.tickets.agentLoads(['agent1'])).agent1!.open;
    expect(budi).toMatchObject({ displayName: 'Budi', open, teams: ['frontline', 'billing', 'support_l2'] });
  });

  test('canned responses come from content with their variables and defaults', async () => {
    const res = await call(app, 'GET', '/api/canned', { as: agent1 });
    expect(res.status).toBe(200);
    expect(res.body.variables).toEqual([
      'customer_name',
      'agent_name',
      'ticket_number',
      'business_name',
      'business_hours',
    ]);
    expect(res.body.defaults).toMatchObject({ customer_name: { id: 'Kak', en: 'there' }, business_name: 'MAJU JAYA' });
    const opening = res.body.responses.find((r: { id: string }) => r.id === 'opening');
    expect(opening.title).toEqual({ id: 'Salam pembuka', en: 'Opening' });
    expect(opening.text.id).toContain('{{agent_name}}');
  });
});

describe('customer notes', () => {
  test('agents read and write them; the writer and time are kept', async () => {
    const empty = await call(app, 'GET', '/api/customers/rest/cust-1/notes', { as: agent1 });
    expect(empty.body).toEqual({ note: null });
    const put = await call(app, 'PUT', '/api/customers/rest/cust-1/notes', {
      body: { text: 'Suka dihubungi sore' },
      as: agent1,
    });
    expect(put.status).toBe(200);
    const read = await call(app, 'GET', '/api/customers/rest/cust-1/notes', { as: supervisor });
    expect(read.body.note).toEqual({
      channel: 'rest',
      senderId: 'cust-1',
      text: 'Suka dihubungi sore',
      updatedBy: 'agent1',
      updatedAt: expect.any(Number),
    });
  });

  test('only the roles in CUSTOMER_NOTES_ROLES see them', async () => {
    const strict = await startTestApp({ env: { DEMO_PASSWORD: PASSWORD, CUSTOMER_NOTES_ROLES: 'supervisor,admin' } });
    try {
      const agent = await login(strict, 'agent1');
      const refused = await call(strict, 'GET', '/api/customers/rest/cust-1/notes', { as: agent });
      expect(refused.status).toBe(403);
      expect(refused.body.error.details).toEqual({ permission: 'customers:notes', roles: ['admin', 'supervisor'] });
      const { ticketId } = await complaint(strict);
      const detail = await call(strict, 'GET', `/api/tickets/${ticketId}`, { as: agent });
      expect(detail.body.customerNotes).toEqual({ allowed: false });
      const sup = await login(strict, 'supervisor');
      expect((await call(strict, 'GET', '/api/customers/rest/cust-1/notes', { as: sup })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('audit log', () => {
  test('records who read, claimed, replied, noted, set a status and resolved, and logins', async () => {
    const me = await login(app, 'agent2');
    const { ticketId } = await complaint(app);
    await call(app, 'GET', `/api/tickets/${ticketId}`, { as: me });
    await call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: me });
    await call(app, 'POST', `/api/tickets/${ticketId}/reply`, { body: { text: 'rahasia pelanggan 0812' }, as: me });
    await call(app, 'POST', `/api/tickets/${ticketId}/note`, { body: { text: 'catatan' }, as: me });
    await call(app, 'POST', `/api/tickets/${ticketId}/status`, { body: { status: 'escalated' }, as: me });
    await call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: supervisor });
    await call(app, 'POST', `/api/tickets/${ticketId}/resolve`, { as: supervisor });

    const res = await call(app, 'GET', `/api/audit?ticket=${ticketId}`, { as: supervisor });
    expect(res.status).toBe(200);
    const steps = res.body.entries.map(
      (e: { actor: { username: string }; action: string }) => `${e.actor.username}:${e.action}`,
    );
    expect(steps.reverse()).toEqual([
      'agent2:read',
      'agent2:claim',
      'agent2:reply',
      'agent2:note',
      'agent2:status',
      'supervisor:claim',
      'supervisor:resolve',
    ]);
    expect(res.body.entries.find((e: { action: string }) => e.action === 'status').detail).toEqual({ to: 'escalated' });
    // Never the message text.
    expect(JSON.stringify(res.body)).not.toContain('0812');

    const logins = await call(app, 'GET', '/api/audit?actor=agent2&limit=500', { as: admin });
    expect(logins.body.entries.some((e: { action: string }) => e.action === 'login')).toBe(true);
    const page = await call(app, 'GET', '/api/audit?limit=2', { as: admin });
    expect(page.body.entries).toHaveLength(2);
    const next = await call(app, 'GET', `/api/audit?limit=2&before=${page.body.next}`, { as: admin });
    expect(next.body.entries[0].id).not.toBe(page.body.entries[1].id);
  });
});
