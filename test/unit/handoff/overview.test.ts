import type { Ticket } from '../../../src/domain/ticket';
import { supervisorOverview } from '../../../src/handoff/overview';

const T0 = Date.UTC(2025, 0, 6, 2, 0, 0);
const ticket = (over: Partial<Ticket>): Ticket =>
  ({
    id: 'x',
    number: 'MJ-1',
    team: 'billing',
    status: 'new',
    priority: 2,
    createdAt: T0,
    slaDeadline: T0 + 60_000,
    updatedAt: T0,
    ...over,
  }) as Ticket;

test('counts queues per team, the oldest wait, SLA met / breached / pending and agents’ load', () => {
  const o = supervisorOverview({
    now: T0 + 120_000,
    teams: ['billing', 'frontline'],
    tickets: [
      ticket({ id: 'a', createdAt: T0 - 30_000, slaDeadline: T0 + 600_000 }), // waiting, pending
      ticket({ id: 'b', status: 'escalated', createdAt: T0 }), // waiting, past deadline: breached
      ticket({ id: 'c', status: 'in_progress', firstResponseAt: T0 + 10_000 }), // met
      ticket({ id: 'd', status: 'resolved', firstResponseAt: T0 + 90_000 }), // replied late: breached
      ticket({ id: 'e', status: 'resolved' }), // cancelled without a reply: no verdict
      ticket({ id: 'f', team: 'on_call', status: 'waiting_customer', slaBreachedAt: T0 + 61_000 }),
    ],
    online: [{ id: 'agent1', teams: ['billing'], expiresAt: T0 + 150_000 }],
    loads: { agent1: { open: 2 } },
    names: { agent1: 'Budi' },
  });
  expect(o.teams.map((t) => t.team)).toEqual(['billing', 'frontline', 'on_call']);
  expect(o.teams[0]).toEqual({
    team: 'billing',
    counts: { new: 1, in_progress: 1, waiting_customer: 0, escalated: 1 },
    depth: 2,
    oldestWaitMs: 150_000,
    breachedOpen: 0,
  });
  expect(o.teams[1]).toMatchObject({ depth: 0, oldestWaitMs: null });
  expect(o.teams[2]).toMatchObject({ breachedOpen: 1, counts: { waiting_customer: 1 } });
  expect(o.sla).toEqual({ met: 1, breached: 3, pending: 1, attainment: 0.25 });
  expect(o.agents).toEqual([
    { username: 'agent1', displayName: 'Budi', teams: ['billing'], open: 2, onlineUntil: T0 + 150_000 },
  ]);
});

test('attainment is null until some ticket has a verdict', () => {
  const o = supervisorOverview({ now: T0, teams: [], tickets: [], online: [], loads: {}, names: {} });
  expect(o.sla.attainment).toBeNull();
});
