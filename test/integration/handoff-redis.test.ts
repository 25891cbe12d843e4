/**
 * The handoff desk on real Redis with two app instances (two `Stores` objects, two services, as
 * two processes behind a load balancer would have): the claim race, capacity under concurrent
 * arrivals, the SLA breach marked once when both instances tick, and tickets surviving a restart.
 */
import { ManualClock } from '../../src/domain/clock';
import { SlaWatcher } from '../../src/handoff/sla-watcher';
import type { HandoffService } from '../../src/handoff/service';
import { createRedisStores, type RedisStores } from '../../src/store/redis';
import { agent, handoffRouting, handoffService, queuedCustomer, T0 } from '../support/handoff';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';

jest.setTimeout(30_000);

let server: TestRedisServer;
let run = 0;
let open: RedisStores[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});
afterAll(async () => {
  await server?.stop();
});

/** Two app instances over one prefix on the private server, sharing one manual clock. */
function twoInstances(routing = handoffRouting()) {
  const prefix = `handoff:${++run}:`;
  const clock = new ManualClock(T0);
  const make = () => {
    const stores = createRedisStores({ url: server.url, prefix, clock });
    open.push(stores);
    return stores;
  };
  const storesA = make();
  const storesB = make();
  const a = handoffService(storesA, clock, routing);
  const b = handoffService(storesB, clock, routing);
  return { prefix, clock, storesA, storesB, a, b, make };
}

it('50 agents claim one ticket at once on two instances: exactly one wins, the other 49 are told who', async () => {
  const { storesA, storesB, a, b } = twoInstances();
  const { ticket, conversation } = await queuedCustomer(storesA, '5001');
  const agents = Array.from({ length: 50 }, (_, i) => agent(`agent${String(i).padStart(2, '0')}`));
  const results = await Promise.all(agents.map((m, i) => (i % 2 ? b : a).claim(ticket.id, m)));
  const winners = results.filter((r) => r.ok);
  expect(winners).toHaveLength(1);
  const owner = (await storesB.tickets.get(ticket.id))!.assignee;
  expect(winners[0]).toMatchObject({ ticket: { assignee: owner, status: 'in_progress' } });
  expect(results.filter((r) => !r.ok)).toEqual(Array(49).fill({ ok: false, status: 'in_progress', owner }));
  const stored = await storesA.tickets.get(ticket.id);
  expect(stored!.history).toHaveLength(1);
  expect((await storesA.tickets.agentLoads([owner!]))[owner!]!.open).toBe(1);
  expect((await storesB.conversations.get(conversation.id))!.state).toBe('with_agent');
});

it('30 concurrent arrivals on two instances never push any of 3 agents (capacity 2) past capacity', async () => {
  const routing = handoffRouting({ billing: { autoAssign: true, capacity: 2 } });
  const { storesA, storesB, a, b } = twoInstances(routing);
  for (const id of ['anna', 'budi', 'sari']) await a.heartbeat(agent(id), 60_000);
  // Each arrival is created and auto-assigned on one instance, all at once, alternating instances.
  const arrivals = await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      const stores = i % 2 ? storesB : storesA;
      const { ticket } = await queuedCustomer(stores, `60${String(i).padStart(2, '0')}`, { createdAt: T0 + i });
      return (i % 2 ? b : a).autoAssign(ticket);
    }),
  );
  const assigned = arrivals.filter((t) => t !== null);
  expect(assigned).toHaveLength(6);
  const loads = await storesB.tickets.agentLoads(['anna', 'budi', 'sari']);
  expect(Object.values(loads).map((l) => l.open)).toEqual([2, 2, 2]);
  const owned = await storesA.tickets.listQueue({ status: 'in_progress' });
  const perAgent = new Map<string, number>();
  for (const t of owned) perAgent.set(t.assignee!, (perAgent.get(t.assignee!) ?? 0) + 1);
  expect(Object.fromEntries(perAgent)).toEqual({ anna: 2, budi: 2, sari: 2 });
  expect(await storesB.tickets.listQueue()).toHaveLength(24);
});

it('two instances ticking at the same time mark an SLA breach exactly once and alert once', async () => {
  const { storesA, storesB, a, b, clock } = twoInstances();
  const watchers = [
    new SlaWatcher({ stores: storesA, clock, handoff: a, presenceGraceMs: 60_000 }),
    new SlaWatcher({ stores: storesB, clock, handoff: b, presenceGraceMs: 60_000 }),
  ];
  const alerts: string[] = [];
  const listen = (service: HandoffService, name: string) =>
    service.on('sla_breached', ({ ticket }) => alerts.push(`${name}:${ticket.number}`));
  listen(a, 'a');
  listen(b, 'b');
  const tickets = await Promise.all(
    Array.from({ length: 10 }, (_, i) => queuedCustomer(storesA, `70${i}`, { slaDeadline: T0 + 60_000 + i })),
  );
  clock.set(T0 + 120_000);
  const reports = await Promise.all([...watchers, ...watchers].map((w) => w.tick()));
  const breached = reports.flatMap((r) => r.breached);
  expect(breached.sort()).toEqual(tickets.map((t) => t.ticket.id).sort());
  expect(alerts).toHaveLength(10);
  expect(new Set(alerts.map((x) => x.split(':')[1])).size).toBe(10);
  for (const { ticket } of tickets) expect((await storesB.tickets.get(ticket.id))!.slaBreachedAt).toBe(T0 + 120_000);
  expect((await Promise.all(watchers.map((w) => w.tick()))).flatMap((r) => r.breached)).toEqual([]);
});

it('tickets, with their history, notes and SLA state, survive an app restart (new Stores on the same server)', async () => {
  const { storesA, a, clock, make } = twoInstances();
  const { ticket } = await queuedCustomer(storesA, '8001', { slaDeadline: T0 + 60_000 });
  const waiting = await queuedCustomer(storesA, '8002', { slaDeadline: T0 + 30_000 });
  await a.claim(ticket.id, agent('sari'));
  clock.advance(1_000);
  await a.note(ticket.id, agent('sari'), 'cek invoice Desember');
  await a.reply(ticket.id, agent('sari'), 'Halo Kak, kami cek ya.');
  await a.setStatus(ticket.id, agent('sari'), 'waiting_customer', 'menunggu foto invoice');
  const before = await storesA.tickets.get(ticket.id);
  await storesA.close();

  // The "restarted" app: a fresh Stores object and service, nothing carried over in memory.
  const restarted = make();
  const service = handoffService(restarted, clock);
  expect(await restarted.tickets.get(ticket.id)).toEqual(before);
  expect(before!.history.map((h) => h.to)).toEqual(['in_progress', 'waiting_customer']);
  expect((await restarted.tickets.listQueue()).map((t) => t.id)).toEqual([waiting.ticket.id]);
  expect((await restarted.tickets.agentLoads(['sari'])).sari!.open).toBe(1);
  // The SLA clock is in the store too: the restarted instance finds the due ticket and marks it.
  clock.set(T0 + 45_000);
  const watcher = new SlaWatcher({ stores: restarted, clock, handoff: service, presenceGraceMs: 60_000 });
  expect((await watcher.tick()).breached).toEqual([waiting.ticket.id]);
  expect((await service.resolve(ticket.id, agent('sari'))).ticket.status).toBe('resolved');
});
