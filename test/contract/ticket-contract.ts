import type { TicketActor, Ticket } from '../../src/domain/ticket';
import type { Stores } from '../../src/store/types';
import { sampleTicket, T0, turn, type ContractFixture } from './store-contract';

const agent = (id: string): TicketActor => ({ role: 'agent', id });
const SUPERVISOR: TicketActor = { role: 'supervisor', id: 'sup' };
const SWEEP: TicketActor = { role: 'system', id: 'offline-sweep' };
const ids = (list: Ticket[]) => list.map((t) => t.id);

/**
 * The ticket life cycle every store implementation must pass (memory and Redis): claims, the
 * status machine with history, assignment within capacity, release, notes, SLA marks and presence.
 * `a` and `b` are two instances over the same data (one object for memory).
 */
export function describeTicketContract(name: string, makeStores: () => Promise<ContractFixture>): void {
  describe(`ticket life cycle contract: ${name}`, () => {
    let fx: ContractFixture;
    let a: Stores;
    let b: Stores;

    beforeEach(async () => {
      fx = await makeStores();
      a = fx.stores;
      b = fx.second ?? fx.stores;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    const create = (s: Stores, over: Parameters<typeof sampleTicket>[0] = {}) =>
      s.tickets.create(sampleTicket(over), 'MJ');

    describe('claim', () => {
      it('lets exactly one of 20 concurrent claims from two instances win; the others learn the owner', async () => {
        const ticket = await create(a);
        fx.stampClock.advance(1_000);
        const agents = Array.from({ length: 20 }, (_, i) => `agent${String(i).padStart(2, '0')}`);
        const results = await Promise.all(agents.map((id, i) => (i % 2 ? b : a).tickets.claim(ticket.id, id)));
        const winners = results.flatMap((r) => (r.ok ? [r.ticket] : []));
        expect(winners).toHaveLength(1);
        const owner = winners[0]!.assignee!;
        expect(agents).toContain(owner);
        for (const r of results) if (!r.ok) expect(r).toEqual({ ok: false, status: 'in_progress', owner });

        const stored = await b.tickets.get(ticket.id);
        expect(stored).toMatchObject({ status: 'in_progress', assignee: owner, updatedAt: T0 + 1_000 });
        expect(stored!.history).toEqual([
          { from: 'new', to: 'in_progress', actor: { role: 'agent', id: owner }, at: T0 + 1_000, assignee: owner },
        ]);
        expect(await a.tickets.listQueue()).toEqual([]);
        expect(ids(await a.tickets.listQueue({ status: 'in_progress' }))).toEqual([ticket.id]);
        // Claiming one's own ticket again is fine and changes nothing.
        const again = await a.tickets.claim(ticket.id, owner);
        expect(again).toEqual({ ok: true, ticket: stored });
      });

      it('rejects an unknown ticket with NOT_FOUND and reports a resolved one without an owner change', async () => {
        await expect(a.tickets.claim('no-such-ticket', 'agent1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
        const t = await create(a);
        await a.tickets.claim(t.id, 'agent1');
        await a.tickets.transition(t.id, 'resolved', agent('agent1'));
        expect(await b.tickets.claim(t.id, 'agent2')).toEqual({ ok: false, status: 'resolved', owner: 'agent1' });
      });
    });

    describe('transition', () => {
      it('walks the machine, records who and when for every step, and reopens to the same team', async () => {
        const t = await create(a, { team: 'billing' });
        const step = async (
          s: Stores,
          to: Parameters<Stores['tickets']['transition']>[1],
          actor: TicketActor,
          note?: string,
        ) => {
          fx.stampClock.advance(60_000);
          return s.tickets.transition(t.id, to, actor, { note });
        };
        await step(a, 'in_progress', agent('sari'));
        await step(b, 'waiting_customer', agent('sari'), 'minta foto invoice');
        await step(a, 'in_progress', { role: 'customer', id: 'telegram:1001' });
        const resolved = await step(b, 'resolved', agent('sari'), 'tagihan dikoreksi');
        expect(resolved).toMatchObject({ status: 'resolved', assignee: 'sari', resolvedAt: T0 + 240_000 });
        expect(await a.tickets.listQueue({ status: 'resolved' })).toEqual([resolved]);
        const reopened = await step(a, 'new', { role: 'customer', id: 'telegram:1001' });
        expect(reopened.status).toBe('new');
        expect(reopened.assignee).toBeUndefined();
        expect(reopened.resolvedAt).toBeUndefined();
        expect(reopened.team).toBe('billing');
        expect(ids(await b.tickets.listQueue({ team: 'billing' }))).toEqual([t.id]);
        expect(reopened.history).toEqual([
          { from: 'new', to: 'in_progress', actor: agent('sari'), at: T0 + 60_000, assignee: 'sari' },
          {
            from: 'in_progress',
            to: 'waiting_customer',
            actor: agent('sari'),
            at: T0 + 120_000,
            note: 'minta foto invoice',
          },
          {
            from: 'waiting_customer',
            to: 'in_progress',
            actor: { role: 'customer', id: 'telegram:1001' },
            at: T0 + 180_000,
          },
          { from: 'in_progress', to: 'resolved', actor: agent('sari'), at: T0 + 240_000, note: 'tagihan dikoreksi' },
          {
            from: 'resolved',
            to: 'new',
            actor: { role: 'customer', id: 'telegram:1001' },
            at: T0 + 300_000,
            assignee: null,
          },
        ]);
      });

      it('refuses steps the machine does not allow, and agents acting on tickets they do not own', async () => {
        const t = await create(a);
        await expect(a.tickets.transition(t.id, 'waiting_customer', agent('sari'))).rejects.toMatchObject({
          code: 'TICKET_TRANSITION_INVALID',
        });
        // Only supervisors (or the customer) close a ticket nobody took.
        await expect(a.tickets.transition(t.id, 'resolved', agent('sari'))).rejects.toMatchObject({
          code: 'TICKET_TRANSITION_INVALID',
        });
        await a.tickets.claim(t.id, 'sari');
        for (const to of ['resolved', 'waiting_customer', 'escalated', 'new'] as const) {
          await expect(b.tickets.transition(t.id, to, agent('budi'))).rejects.toMatchObject({
            code: 'TICKET_NOT_OWNER',
          });
        }
        await expect(b.tickets.transition(t.id, 'resolved', { role: 'customer', id: 'x' })).rejects.toMatchObject({
          code: 'TICKET_TRANSITION_INVALID',
        });
        await expect(a.tickets.transition('no-such-ticket', 'resolved', SUPERVISOR)).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
        const unchanged = await a.tickets.get(t.id);
        expect(unchanged).toMatchObject({ status: 'in_progress', assignee: 'sari' });
        expect(unchanged!.history).toHaveLength(1);
        // A supervisor may act on anyone's ticket.
        expect((await b.tickets.transition(t.id, 'resolved', SUPERVISOR)).status).toBe('resolved');
      });

      it('escalates to another team, where the ticket waits (in the default queue) for that team', async () => {
        const t = await create(a, { team: 'billing' });
        await a.tickets.claim(t.id, 'sari');
        const escalated = await b.tickets.transition(t.id, 'escalated', agent('sari'), {
          team: 'supervisor',
          note: 'pelanggan minta kompensasi',
        });
        expect(escalated).toMatchObject({ status: 'escalated', team: 'supervisor' });
        expect(escalated.assignee).toBeUndefined();
        expect(escalated.history.at(-1)).toMatchObject({
          from: 'in_progress',
          to: 'escalated',
          team: 'supervisor',
          assignee: null,
        });
        expect(ids(await a.tickets.listQueue({ team: 'supervisor' }))).toEqual([t.id]);
        expect(await a.tickets.listQueue({ team: 'billing' })).toEqual([]);
        expect(ids(await a.tickets.listQueue({ status: 'escalated' }))).toEqual([t.id]);
        const taken = await b.tickets.claim(t.id, 'rina');
        expect(taken.ok && taken.ticket.assignee).toBe('rina');
      });

      it('transfers to another team (back to its queue) or to another agent, checking capacity when asked', async () => {
        const t = await create(a, { team: 'billing' });
        const other = await create(a, { team: 'support_l2' });
        await a.tickets.claim(t.id, 'sari');
        await a.tickets.claim(other.id, 'budi');
        await expect(
          b.tickets.transition(t.id, 'in_progress', agent('sari'), { assignTo: 'budi', capacity: 1 }),
        ).rejects.toMatchObject({ code: 'AGENT_AT_CAPACITY' });
        const moved = await b.tickets.transition(t.id, 'in_progress', agent('sari'), {
          assignTo: 'budi',
          capacity: 2,
          note: 'budi paham kasus ini',
        });
        expect(moved.assignee).toBe('budi');
        expect(await a.tickets.agentLoads(['sari', 'budi', 'nobody'])).toEqual({
          sari: { open: 0, lastAssignedAt: expect.any(Number) },
          budi: { open: 2, lastAssignedAt: expect.any(Number) },
          nobody: { open: 0 },
        });
        const toTeam = await a.tickets.transition(t.id, 'new', agent('budi'), { team: 'support_l2' });
        expect(toTeam).toMatchObject({ status: 'new', team: 'support_l2' });
        expect(toTeam.history.at(-1)).toMatchObject({
          from: 'in_progress',
          to: 'new',
          team: 'support_l2',
          assignee: null,
        });
        expect(ids(await b.tickets.listQueue({ team: 'support_l2' }))).toEqual([t.id]);
        expect(await b.tickets.listQueue({ team: 'billing' })).toEqual([]);
        expect((await b.tickets.agentLoads(['budi'])).budi!.open).toBe(1);
      });

      it('lists several statuses in queue order, and by default the tickets waiting for an owner', async () => {
        const late = await create(a, { priority: 2, slaDeadline: T0 + 9_000 });
        const urgent = await create(b, {
          priority: 0,
          slaDeadline: T0 + 50_000,
          category: 'emergency',
          team: 'on_call',
        });
        const early = await create(a, { priority: 2, slaDeadline: T0 + 5_000 });
        await a.tickets.claim(early.id, 'sari');
        await a.tickets.transition(urgent.id, 'escalated', SUPERVISOR);
        expect(ids(await b.tickets.listQueue())).toEqual([urgent.id, late.id]);
        expect(ids(await b.tickets.listQueue({ status: ['new', 'in_progress', 'escalated'] }))).toEqual([
          urgent.id,
          early.id,
          late.id,
        ]);
        expect(ids(await b.tickets.listQueue({ status: ['in_progress', 'new'], limit: 1 }))).toEqual([early.id]);
        expect(await b.tickets.listQueue({ status: 'waiting_customer' })).toEqual([]);
      });
    });

    describe('assignment', () => {
      it('auto-assigns to the least-loaded candidate under capacity; ties go to the longest idle, then alphabetical', async () => {
        const tickets = await Promise.all(Array.from({ length: 6 }, (_, i) => create(a, { createdAt: T0 + i })));
        const assigned: string[] = [];
        for (const t of tickets) {
          fx.stampClock.advance(1_000);
          const r = await (assigned.length % 2 ? b : a).tickets.autoAssign(t.id, ['rina', 'budi', 'sari'], 2);
          assigned.push(r.ok ? r.agent : `none:${r.reason}`);
        }
        // Everyone idle: alphabetical. Then whoever waited longest since their last ticket.
        expect(assigned).toEqual(['budi', 'rina', 'sari', 'budi', 'rina', 'sari']);
        const seventh = await create(b);
        expect(await a.tickets.autoAssign(seventh.id, ['rina', 'budi', 'sari'], 2)).toEqual({
          ok: false,
          reason: 'no_capacity',
        });
        expect(await a.tickets.autoAssign(seventh.id, ['rina', 'budi', 'sari', 'tono'], 2)).toMatchObject({
          ok: true,
          agent: 'tono',
        });
        expect(await b.tickets.autoAssign(seventh.id, ['zaki'], 2)).toEqual({ ok: false, reason: 'not_waiting' });
        const got = await b.tickets.get(seventh.id);
        expect(got).toMatchObject({ status: 'in_progress', assignee: 'tono' });
        expect(got!.history).toEqual([
          {
            from: 'new',
            to: 'in_progress',
            actor: { role: 'system', id: 'auto-assign' },
            at: fx.stampClock.now(),
            assignee: 'tono',
          },
        ]);
        await expect(a.tickets.autoAssign('no-such-ticket', ['tono'], 2)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });

      it('prefers a lighter load over idleness', async () => {
        const [t1, t2, t3] = await Promise.all([create(a), create(a), create(a)]);
        await a.tickets.claim(t1!.id, 'anna');
        fx.stampClock.advance(1_000);
        await a.tickets.claim(t2!.id, 'bobi');
        await a.tickets.transition(t2!.id, 'resolved', agent('bobi'));
        // anna: 1 open, idle longer; bobi: 0 open.
        expect(await b.tickets.autoAssign(t3!.id, ['anna', 'bobi'], 5)).toMatchObject({ ok: true, agent: 'bobi' });
      });

      it('releases all open tickets of an agent back to their queues', async () => {
        const [t1, t2, t3] = await Promise.all([
          create(a, { team: 'billing' }),
          create(a, { team: 'support_l2' }),
          create(a),
        ]);
        await a.tickets.claim(t1!.id, 'sari');
        await a.tickets.claim(t2!.id, 'sari');
        await a.tickets.transition(t2!.id, 'waiting_customer', agent('sari'));
        await a.tickets.claim(t3!.id, 'budi');
        const released = await b.tickets.release('sari', SWEEP);
        expect(ids(released).sort()).toEqual([t1!.id, t2!.id].sort());
        for (const t of released) {
          expect(t.status).toBe('new');
          expect(t.assignee).toBeUndefined();
          expect(t.history.at(-1)).toMatchObject({ to: 'new', actor: SWEEP, assignee: null });
        }
        expect(ids(await a.tickets.listQueue({ team: 'support_l2' }))).toEqual([t2!.id]);
        expect(await a.tickets.agentLoads(['sari', 'budi'])).toMatchObject({ sari: { open: 0 }, budi: { open: 1 } });
        expect(await a.tickets.release('sari', SWEEP)).toEqual([]);
      });

      it('releases an offline agent only when the heartbeat expired by the cutoff, once, and forgets its presence', async () => {
        const t = await create(a);
        await a.tickets.claim(t.id, 'sari');
        await a.presence.heartbeat({ id: 'sari', teams: ['billing'] }, T0, 30_000);
        expect(await b.tickets.release('sari', SWEEP, { offlineSince: T0 + 29_999 })).toEqual([]);
        expect((await a.tickets.get(t.id))!.assignee).toBe('sari');
        const [first, second] = await Promise.all([
          a.tickets.release('sari', SWEEP, { offlineSince: T0 + 30_000 }),
          b.tickets.release('sari', SWEEP, { offlineSince: T0 + 30_000 }),
        ]);
        expect([...first!, ...second!].map((x) => x.id)).toEqual([t.id]);
        expect(await a.presence.expiredAgents(T0 + 60_000)).toEqual([]);
        expect((await b.tickets.get(t.id))!.status).toBe('new');
      });
    });

    describe('messages and notes', () => {
      it('keeps internal notes apart from the messages', async () => {
        const t = await create(a);
        await a.tickets.addNote(t.id, { at: T0 + 5, author: 'sari', text: 'pelanggan VIP, hati-hati' });
        await b.tickets.addNote(t.id, { at: T0 + 6, author: 'budi', text: 'sudah cek invoice' });
        const read = await a.tickets.get(t.id);
        expect(read!.notes).toEqual([
          { at: T0 + 5, author: 'sari', text: 'pelanggan VIP, hati-hati' },
          { at: T0 + 6, author: 'budi', text: 'sudah cek invoice' },
        ]);
        expect(read!.messages).toEqual(t.messages);
        await expect(a.tickets.addNote('no-such-ticket', { at: 1, author: 'x', text: 'y' })).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
      });

      it("records the first agent reply as the first response, and refuses a reply on someone else's ticket", async () => {
        const t = await create(a);
        await a.tickets.claim(t.id, 'sari');
        const reply = { ...turn('agent', 'Halo Kak, saya Sari dari tim Billing.', T0 + 10), agent: 'Sari' };
        await expect(b.tickets.appendMessage(t.id, reply, { requireOwner: 'budi' })).rejects.toMatchObject({
          code: 'TICKET_NOT_OWNER',
        });
        fx.stampClock.advance(90_000);
        await b.tickets.appendMessage(t.id, reply, { requireOwner: 'sari' });
        fx.stampClock.advance(10_000);
        await a.tickets.appendMessage(t.id, { ...reply, text: 'Sudah kami cek ya.' }, { requireOwner: 'sari' });
        const read = await a.tickets.get(t.id);
        expect(read!.firstResponseAt).toBe(T0 + 90_000);
        expect(read!.messages.slice(-2).map((m) => m.text)).toEqual([
          'Halo Kak, saya Sari dari tim Billing.',
          'Sudah kami cek ya.',
        ]);
      });
    });

    describe('SLA', () => {
      it('lists tickets due by a time, earliest deadline first, while their first response is pending', async () => {
        const later = await create(a, { slaDeadline: T0 + 20_000 });
        const sooner = await create(b, { slaDeadline: T0 + 10_000 });
        const far = await create(a, { slaDeadline: T0 + 90_000 });
        const answered = await create(a, { slaDeadline: T0 + 5_000 });
        await a.tickets.claim(answered.id, 'sari');
        await a.tickets.appendMessage(answered.id, { ...turn('agent', 'halo', T0), agent: 'Sari' });
        expect(ids(await b.tickets.dueBefore(T0 + 20_000))).toEqual([sooner.id, later.id]);
        expect(ids(await b.tickets.dueBefore(T0 + 20_000, 1))).toEqual([sooner.id]);
        expect(ids(await a.tickets.dueBefore(T0 + 100_000))).toEqual([sooner.id, later.id, far.id]);
        await a.tickets.transition(far.id, 'resolved', SUPERVISOR);
        expect(ids(await a.tickets.dueBefore(T0 + 100_000))).toEqual([sooner.id, later.id]);
      });

      it('marks the first response at risk exactly once, across instances, while no agent has replied', async () => {
        const t = await create(a, { slaDeadline: T0 + 10_000 });
        const marks = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? b : a).tickets.markSlaAtRisk(t.id, T0 + 8_000)),
        );
        expect(marks.filter(Boolean)).toHaveLength(1);
        expect((await b.tickets.get(t.id))!.slaAtRiskAt).toBe(T0 + 8_000);
        expect(await a.tickets.markSlaAtRisk(t.id, T0 + 9_000)).toBe(false);
        // Still watched for the breach itself.
        expect(await a.tickets.markSlaBreached(t.id, T0 + 10_000)).toBe(true);

        const answered = await create(a, { slaDeadline: T0 + 10_000 });
        await a.tickets.claim(answered.id, 'sari');
        await a.tickets.appendMessage(answered.id, { ...turn('agent', 'halo', T0), agent: 'Sari' });
        expect(await b.tickets.markSlaAtRisk(answered.id, T0 + 9_000)).toBe(false);
        const breached = await create(a, { slaDeadline: T0 + 1_000 });
        await a.tickets.markSlaBreached(breached.id, T0 + 2_000);
        expect(await b.tickets.markSlaAtRisk(breached.id, T0 + 2_000)).toBe(false);
        expect(await b.tickets.markSlaAtRisk('no-such-ticket', T0)).toBe(false);
      });

      it('marks a breach exactly once, across instances, and only after the deadline without a reply', async () => {
        const t = await create(a, { slaDeadline: T0 + 10_000 });
        expect(await a.tickets.markSlaBreached(t.id, T0 + 9_999)).toBe(false);
        const marks = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? b : a).tickets.markSlaBreached(t.id, T0 + 10_000)),
        );
        expect(marks.filter(Boolean)).toHaveLength(1);
        expect(await a.tickets.markSlaBreached(t.id, T0 + 20_000)).toBe(false);
        expect((await b.tickets.get(t.id))!.slaBreachedAt).toBe(T0 + 10_000);
        expect(await a.tickets.dueBefore(T0 + 20_000)).toEqual([]);

        const answered = await create(a, { slaDeadline: T0 + 10_000 });
        await a.tickets.claim(answered.id, 'sari');
        await a.tickets.appendMessage(answered.id, { ...turn('agent', 'halo', T0), agent: 'Sari' });
        expect(await b.tickets.markSlaBreached(answered.id, T0 + 20_000)).toBe(false);
        expect(await b.tickets.markSlaBreached('no-such-ticket', T0 + 20_000)).toBe(false);
      });
    });

    describe('CSAT', () => {
      it('records the rating on the ticket (readable from the other instance); a later rating replaces it', async () => {
        const t = await create(a);
        await a.tickets.claim(t.id, 'sari');
        await a.tickets.transition(t.id, 'resolved', agent('sari'));
        fx.stampClock.advance(60_000);
        await a.tickets.recordCsat(t.id, 5, T0 + 60_000);
        const rated = await b.tickets.get(t.id);
        expect(rated).toMatchObject({
          status: 'resolved',
          csat: { score: 5, at: T0 + 60_000 },
          updatedAt: T0 + 60_000,
        });
        // Not a step of the life cycle: no history entry for it.
        expect(rated!.history.map((h) => h.to)).toEqual(['in_progress', 'resolved']);
        await b.tickets.recordCsat(t.id, 2, T0 + 90_000);
        expect((await a.tickets.get(t.id))!.csat).toEqual({ score: 2, at: T0 + 90_000 });
      });

      it('rejects an unknown ticket with NOT_FOUND and a score off the 1–5 scale with VALIDATION_FAILED', async () => {
        await expect(a.tickets.recordCsat('no-such-ticket', 4, T0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        const t = await create(a);
        for (const score of [0, 6, 3.5, Number.NaN]) {
          await expect(a.tickets.recordCsat(t.id, score, T0)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
        }
        expect((await b.tickets.get(t.id))!.csat).toBeUndefined();
      });

      it('keeps the attention flag a ticket was created with', async () => {
        const flagged = await create(a, {
          attention: { reason: 'after_hours', at: T0, expectedReplyAt: T0 + 3_600_000 },
        });
        expect((await b.tickets.get(flagged.id))!.attention).toEqual({
          reason: 'after_hours',
          at: T0,
          expectedReplyAt: T0 + 3_600_000,
        });
      });
    });

    describe('presence', () => {
      it('knows who is online, per team, until the heartbeat expires', async () => {
        await a.presence.heartbeat({ id: 'sari', teams: ['billing', 'frontline'] }, T0, 30_000);
        await b.presence.heartbeat({ id: 'budi', teams: ['support_l2'] }, T0 + 10_000, 30_000);
        expect(await a.presence.onlineAgents({ now: T0 + 1_000 })).toEqual([
          { id: 'budi', teams: ['support_l2'], expiresAt: T0 + 40_000 },
          { id: 'sari', teams: ['billing', 'frontline'], expiresAt: T0 + 30_000 },
        ]);
        expect((await b.presence.onlineAgents({ now: T0 + 1_000, team: 'billing' })).map((p) => p.id)).toEqual([
          'sari',
        ]);
        expect((await b.presence.onlineAgents({ now: T0 + 30_000 })).map((p) => p.id)).toEqual(['budi']);
        expect((await b.presence.expiredAgents(T0 + 30_000)).map((p) => p.id)).toEqual(['sari']);
        // A heartbeat with other teams leaves the old ones.
        await a.presence.heartbeat({ id: 'sari', teams: ['support_l2'] }, T0 + 31_000, 30_000);
        expect(await b.presence.onlineAgents({ now: T0 + 32_000, team: 'billing' })).toEqual([]);
        expect((await b.presence.onlineAgents({ now: T0 + 32_000, team: 'support_l2' })).map((p) => p.id)).toEqual([
          'budi',
          'sari',
        ]);
        expect(await b.presence.expiredAgents(T0 + 32_000)).toEqual([]);
      });
    });
  });
}
