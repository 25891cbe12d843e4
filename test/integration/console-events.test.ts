/**
 * The console's live stream over real HTTP: SSE clients receive ticket changes and new handoffs,
 * supervisors also get alerts, agents do not; with Redis, an event made on instance A reaches an
 * SSE client of instance B (two apps on one private redis-server).
 */
import type { RunningServer } from '../../src/server';
import { postJson, startTestApp } from '../support/app';
import { call, complaint, login, PASSWORD } from '../support/console';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';
import { openStream } from '../support/sse';
import { seedDemoUsers } from '../../src/auth/demo-users';

jest.setTimeout(30_000);

describe('live events (memory store)', () => {
  let app: RunningServer;
  beforeAll(async () => {
    app = await startTestApp({ env: { DEMO_PASSWORD: PASSWORD }, sseHeartbeatMs: 100 });
  });
  afterAll(async () => {
    await app?.close();
  });

  test('an agent’s stream gets the new handoff and the claim as ticket_changed, with the summary', async () => {
    const agent1 = await login(app, 'agent1');
    const agent2 = await login(app, 'agent2');
    const stream = await openStream(app, agent2);
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toMatch(/^text\/event-stream/);
      const { ticketId, ticketNumber } = await complaint(app);
      const created = await stream.next((e) => e.event === 'new_handoff' && e.data.ticket.id === ticketId);
      expect(created.data.ticket).toMatchObject({
        number: ticketNumber,
        status: 'new',
        category: 'complaint',
        team: 'supervisor',
      });

      await call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: agent1 });
      const claimed = await stream.next((e) => e.event === 'ticket_changed' && e.data.ticket.id === ticketId);
      expect(claimed.data).toMatchObject({
        type: 'ticket_changed',
        change: 'claimed',
        actor: { role: 'agent', id: 'agent1' },
        ticket: { status: 'in_progress', assignee: 'agent1' },
      });
      // Summaries only: no transcript on the stream.
      expect(claimed.data.ticket.messages).toBeUndefined();
      // Agents get no supervisor alerts (nobody of team `supervisor` was online for that handoff).
      expect(stream.events.some((e) => e.event === 'supervisor_alert')).toBe(false);
    } finally {
      stream.close();
    }
  });

  test('supervisors are alerted when a handoff arrives that nobody can answer soon', async () => {
    const supervisor = await login(app, 'supervisor');
    const stream = await openStream(app, supervisor);
    try {
      const { ticketId, ticketNumber } = await complaint(app);
      const alert = await stream.next((e) => e.event === 'supervisor_alert' && e.data.ticketId === ticketId);
      // Nobody of team `supervisor` is online; outside business hours (real time) the reason is that instead.
      expect(['no_agent_online', 'after_hours']).toContain(alert.data.alert);
      expect(alert.data).toMatchObject({ team: 'supervisor', message: { id: expect.stringContaining(ticketNumber) } });
    } finally {
      stream.close();
    }
  });

  test('a customer message to a waiting ticket reaches the stream as ticket_changed (summary only)', async () => {
    const agent1 = await login(app, 'agent1');
    const stream = await openStream(app, agent1);
    try {
      const { ticketId, sender } = await complaint(app);
      await postJson(`${app.url}/channels/rest/messages`, { sender, text: 'halo, masih ada yang perlu saya kirim?' });
      const event = await stream.next(
        (e) => e.event === 'ticket_changed' && e.data.change === 'customer_message' && e.data.ticket.id === ticketId,
      );
      expect(event.data.actor).toMatchObject({ role: 'customer' });
      expect(JSON.stringify(event.data)).not.toContain('masih ada yang perlu');
    } finally {
      stream.close();
    }
  });

  test('the message that reopens a resolved ticket reaches the stream too', async () => {
    const agent1 = await login(app, 'agent1');
    const stream = await openStream(app, agent1);
    try {
      const { ticketId, sender } = await complaint(app);
      expect((await call(app, 'POST', `/api/tickets/${ticketId}/claim`, { as: agent1 })).status).toBe(200);
      expect((await call(app, 'POST', `/api/tickets/${ticketId}/resolve`, { as: agent1, body: {} })).status).toBe(200);
      await postJson(`${app.url}/channels/rest/messages`, { sender, text: 'masih belum bisa kak, tolong dicek lagi' });
      await stream.next((e) => e.data.change === 'reopened' && e.data.ticket?.id === ticketId);
      await stream.next((e) => e.data.change === 'customer_message' && e.data.ticket?.id === ticketId);
    } finally {
      stream.close();
    }
  });

  test('a stream ends when its session does (logout): no events after it', async () => {
    const agent2 = await login(app, 'agent2');
    const stream = await openStream(app, agent2);
    await call(app, 'POST', '/api/auth/logout', { as: agent2 });
    await stream.ended;
    const { ticketId } = await complaint(app);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.events.some((e) => e.data?.ticket?.id === ticketId)).toBe(false);
  });

  test('the stream is closed to anonymous callers and roles without tickets:read', async () => {
    expect((await fetch(`${app.url}/api/events`)).status).toBe(401);
    const editor = await login(app, 'editor');
    expect((await call(app, 'GET', '/api/events', { as: editor })).status).toBe(403);
  });
});

describe('live events across instances (Redis pub/sub)', () => {
  let redis: TestRedisServer;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    redis = await startRedisServer();
    a = await startTestApp({ env: { REDIS_URL: `${redis.url}/4` } });
    b = await startTestApp({ env: { REDIS_URL: `${redis.url}/4` } });
    await seedDemoUsers(a.auth, PASSWORD);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  test('a claim on instance A reaches an SSE client of instance B', async () => {
    const onA = await login(a, 'agent1');
    const onB = await login(b, 'agent2');
    const stream = await openStream(b, onB);
    try {
      const { ticketId } = await complaint(a);
      await stream.next((e) => e.event === 'new_handoff' && e.data.ticket.id === ticketId);
      const claim = await call(a, 'POST', `/api/tickets/${ticketId}/claim`, { as: onA });
      expect(claim.status).toBe(200);
      const changed = await stream.next((e) => e.event === 'ticket_changed' && e.data.ticket.id === ticketId);
      expect(changed.data).toMatchObject({ change: 'claimed', ticket: { assignee: 'agent1', status: 'in_progress' } });
      // B sees the same ticket state through the API as well.
      const seen = await call(b, 'GET', `/api/tickets/${ticketId}`, { as: onB });
      expect(seen.body.ticket.assignee).toBe('agent1');
    } finally {
      stream.close();
    }
  });
});
