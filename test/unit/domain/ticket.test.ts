import {
  compareQueueOrder,
  planTransition,
  rulesFor,
  TICKET_STATUSES,
  TRANSITIONS,
  type TicketActor,
} from '../../../src/domain/ticket';

const sari: TicketActor = { role: 'agent', id: 'sari' };
const budi: TicketActor = { role: 'agent', id: 'budi' };
const sup: TicketActor = { role: 'supervisor', id: 'sup' };
const customer: TicketActor = { role: 'customer', id: 'telegram:1' };
const system: TicketActor = { role: 'system', id: 'offline-sweep' };

describe('planTransition', () => {
  it('lets staff take a waiting ticket, making the taker the owner', () => {
    expect(planTransition({ status: 'new', team: 'billing' }, 'in_progress', sari)).toEqual({
      ok: true,
      assignee: 'sari',
      team: 'billing',
    });
    expect(planTransition({ status: 'escalated', team: 'supervisor' }, 'in_progress', sup)).toMatchObject({
      ok: true,
      assignee: 'sup',
    });
  });

  it('needs an owner for in_progress: the system can only assign someone explicitly', () => {
    expect(planTransition({ status: 'new', team: 'b' }, 'in_progress', system)).toMatchObject({
      ok: false,
      code: 'TICKET_TRANSITION_INVALID',
    });
    expect(planTransition({ status: 'new', team: 'b' }, 'in_progress', system, { assignTo: 'budi' })).toMatchObject({
      ok: true,
      assignee: 'budi',
    });
  });

  it('keeps owner-only steps to the owner, while supervisors may act on any ticket', () => {
    const owned = { status: 'in_progress' as const, assignee: 'sari', team: 'billing' };
    expect(planTransition(owned, 'resolved', budi)).toMatchObject({ ok: false, code: 'TICKET_NOT_OWNER' });
    expect(planTransition(owned, 'resolved', sari)).toMatchObject({ ok: true, assignee: 'sari' });
    expect(planTransition(owned, 'resolved', sup)).toMatchObject({ ok: true, assignee: 'sari' });
    expect(planTransition(owned, 'new', system)).toMatchObject({ ok: true, assignee: undefined });
  });

  it('lets the customer answer, cancel and reopen, and nothing else', () => {
    expect(
      planTransition({ status: 'waiting_customer', assignee: 'sari', team: 'b' }, 'in_progress', customer),
    ).toMatchObject({
      ok: true,
      assignee: 'sari',
    });
    expect(planTransition({ status: 'new', team: 'b' }, 'resolved', customer).ok).toBe(true);
    expect(planTransition({ status: 'resolved', assignee: 'sari', team: 'b' }, 'new', customer)).toMatchObject({
      ok: true,
      assignee: undefined,
      team: 'b',
    });
    expect(planTransition({ status: 'in_progress', assignee: 'sari', team: 'b' }, 'resolved', customer).ok).toBe(false);
  });

  it('transfers: to another agent keeps in_progress with the new owner; to a team goes back to that queue', () => {
    const owned = { status: 'in_progress' as const, assignee: 'sari', team: 'billing' };
    expect(planTransition(owned, 'in_progress', sari, { assignTo: 'budi' })).toMatchObject({
      ok: true,
      assignee: 'budi',
    });
    expect(planTransition(owned, 'in_progress', sari)).toMatchObject({ ok: false, code: 'TICKET_TRANSITION_INVALID' });
    expect(planTransition(owned, 'new', sari, { team: 'support_l2' })).toEqual({
      ok: true,
      assignee: undefined,
      team: 'support_l2',
    });
  });

  it('never leaves resolved except by a reopen, and refuses unlisted steps', () => {
    for (const to of TICKET_STATUSES.filter((s) => s !== 'new')) {
      expect(planTransition({ status: 'resolved', assignee: 'sari', team: 'b' }, to, sup).ok).toBe(false);
    }
    expect(planTransition({ status: 'new', team: 'b' }, 'waiting_customer', sup)).toMatchObject({
      ok: false,
      code: 'TICKET_TRANSITION_INVALID',
    });
  });
});

describe('rulesFor', () => {
  it('lists exactly the table rows for a target and role (what the Redis scripts receive)', () => {
    expect(rulesFor('resolved', 'agent')).toEqual({
      from: ['in_progress', 'waiting_customer'],
      ownerOnlyFrom: ['in_progress', 'waiting_customer'],
    });
    expect(rulesFor('resolved', 'customer')).toEqual({ from: ['new', 'escalated'], ownerOnlyFrom: [] });
    expect(rulesFor('in_progress', 'system').from.sort()).toEqual(['escalated', 'new']);
    // Every row is reachable through rulesFor for each of its roles.
    for (const rule of TRANSITIONS)
      for (const role of rule.by) expect(rulesFor(rule.to, role).from).toContain(rule.from);
  });
});

describe('compareQueueOrder', () => {
  it('orders by priority, then SLA deadline, then arrival', () => {
    const t = (priority: number, slaDeadline: number, createdAt: number) => ({ priority, slaDeadline, createdAt });
    const list = [t(2, 10, 1), t(0, 99, 9), t(2, 5, 3), t(2, 5, 2)];
    expect(list.sort(compareQueueOrder)).toEqual([t(0, 99, 9), t(2, 5, 2), t(2, 5, 3), t(2, 10, 1)]);
  });
});
