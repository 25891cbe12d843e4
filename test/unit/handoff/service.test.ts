import { ManualClock } from '../../../src/domain/clock';
import { AppError } from '../../../src/domain/errors';
import { HandoffService, type AfterResolve, type HandoffEvents } from '../../../src/handoff/service';
import { SlaWatcher } from '../../../src/handoff/sla-watcher';
import { createMemoryStores } from '../../../src/store/memory';
import { agent, handoffRouting, handoffService, queuedCustomer, T0 } from '../../support/handoff';

function setup(routing = handoffRouting()) {
  const clock = new ManualClock(T0);
  const stores = createMemoryStores({ clock });
  const handoff = handoffService(stores, clock, routing);
  const events: { name: keyof HandoffEvents; payload: unknown }[] = [];
  for (const name of [
    'ticket_changed',
    'agent_reply',
    'sla_breached',
    'tickets_requeued',
    'supervisor_alert',
  ] as const) {
    handoff.on(name, (payload: unknown) => events.push({ name, payload }));
  }
  return { clock, stores, handoff, events };
}

describe('HandoffService', () => {
  it('claim: the bot goes silent (conversation with_agent); a second agent is told who owns it', async () => {
    const { stores, handoff } = setup();
    const { ticket, conversation } = await queuedCustomer(stores, '1001');
    expect(await handoff.claim(ticket.id, agent('sari'))).toMatchObject({ ok: true, ticket: { assignee: 'sari' } });
    expect(await handoff.claim(ticket.id, agent('budi'))).toEqual({ ok: false, status: 'in_progress', owner: 'sari' });
    expect((await stores.conversations.get(conversation.id))!.state).toBe('with_agent');
  });

  it('reply: only by the owner; appended to ticket and transcript and handed to delivery', async () => {
    const { stores, handoff, events, clock } = setup();
    const { ticket, conversation } = await queuedCustomer(stores, '1002');
    await expect(handoff.reply(ticket.id, agent('sari'), 'halo')).rejects.toMatchObject({ code: 'TICKET_NOT_OWNER' });
    await handoff.claim(ticket.id, agent('sari'));
    clock.advance(60_000);
    const turn = await handoff.reply(ticket.id, agent('sari'), 'Halo Kak, saya cek tagihannya ya.');
    expect(turn).toEqual({ at: T0 + 60_000, from: 'agent', text: 'Halo Kak, saya cek tagihannya ya.', agent: 'Sari' });
    const stored = await stores.tickets.get(ticket.id);
    expect(stored!.messages.at(-1)).toEqual(turn);
    expect(stored!.firstResponseAt).toBe(T0 + 60_000);
    expect((await stores.conversations.get(conversation.id))!.transcript.at(-1)).toEqual(turn);
    const replies = events.filter((e) => e.name === 'agent_reply');
    expect(replies).toEqual([{ name: 'agent_reply', payload: { ticket: stored, turn } }]);
    // A supervisor may step in on anyone's ticket.
    await handoff.reply(ticket.id, { id: 'sup', role: 'supervisor', teams: [] }, 'Supervisor di sini.');
  });

  it('notes stay internal: on the ticket, not in the messages or the transcript', async () => {
    const { stores, handoff, events } = setup();
    const { ticket, conversation } = await queuedCustomer(stores, '1003');
    const noted = await handoff.note(ticket.id, agent('sari'), 'pelanggan lama, cek riwayat');
    expect(noted.notes).toEqual([{ at: T0, author: 'sari', text: 'pelanggan lama, cek riwayat' }]);
    expect(noted.messages).toEqual(ticket.messages);
    expect((await stores.conversations.get(conversation.id))!.transcript).toEqual([]);
    expect(events.map((e) => e.name)).toEqual(['ticket_changed']);
  });

  it('resolve: the conversation goes back to the bot, which must ask the CSAT question; a message soon after reopens', async () => {
    const { stores, handoff, clock } = setup();
    const { ticket, conversation } = await queuedCustomer(stores, '1004');
    await handoff.claim(ticket.id, agent('sari'));
    clock.advance(5 * 60_000);
    const { ticket: resolved, next } = await handoff.resolve(ticket.id, agent('sari'), 'sudah dikoreksi');
    expect(resolved.status).toBe('resolved');
    expect(next).toEqual({
      action: 'ask_csat',
      conversationId: conversation.id,
      channel: 'telegram',
      senderId: '1004',
      locale: 'id',
      ticketNumber: ticket.number,
    });
    const conv = await stores.conversations.get(conversation.id);
    expect(conv).toMatchObject({ state: 'bot', resolvedTicket: { id: ticket.id, resolvedAt: T0 + 5 * 60_000 } });
    expect(conv!.ticketId).toBeUndefined();

    clock.advance(30 * 60_000);
    const reopened = await handoff.reopenIfRecent(conv!);
    expect(reopened).toMatchObject({ outcome: 'reopened', ticket: { status: 'new', team: 'billing' } });
    clock.advance(1);
    expect(await handoff.reopenIfRecent(conv!)).toMatchObject({ outcome: 'expired' });
  });

  it('transfer: to a team puts it in that queue (auto-assigned when the team does so); to an agent hands it over', async () => {
    const { stores, handoff, clock } = setup(handoffRouting({ support_l2: { autoAssign: true, capacity: 1 } }));
    const { ticket, conversation } = await queuedCustomer(stores, '1005');
    await handoff.claim(ticket.id, agent('sari'));
    const toBudi = await handoff.transfer(ticket.id, agent('sari'), { agent: 'budi' }, 'kasus kabel');
    expect(toBudi).toMatchObject({ status: 'in_progress', assignee: 'budi' });
    await expect(handoff.transfer(ticket.id, agent('budi'), { team: 'nope' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await handoff.heartbeat(agent('rina', ['support_l2']), 30_000);
    const toTeam = await handoff.transfer(ticket.id, agent('budi'), { team: 'support_l2' }, 'masalah teknis');
    expect(toTeam).toMatchObject({ status: 'in_progress', team: 'support_l2', assignee: 'rina' });
    expect(toTeam.history.map((h) => [h.from, h.to, h.actor.id])).toEqual([
      ['new', 'in_progress', 'sari'],
      ['in_progress', 'in_progress', 'sari'],
      ['in_progress', 'new', 'budi'],
      ['new', 'in_progress', 'auto-assign'],
    ]);
    expect((await stores.conversations.get(conversation.id))!.state).toBe('with_agent');
    clock.advance(1);
  });

  it('setStatus: waiting for the customer and escalation; giving a ticket back queues the conversation', async () => {
    const { stores, handoff } = setup();
    const { ticket, conversation } = await queuedCustomer(stores, '1006');
    await handoff.claim(ticket.id, agent('sari'));
    expect((await handoff.setStatus(ticket.id, agent('sari'), 'waiting_customer', 'minta nomor invoice')).status).toBe(
      'waiting_customer',
    );
    const escalated = await handoff.setStatus(ticket.id, agent('sari'), 'escalated');
    expect(escalated.assignee).toBeUndefined();
    expect((await stores.conversations.get(conversation.id))!.state).toBe('queued');
    await expect(handoff.setStatus(ticket.id, agent('sari'), 'waiting_customer')).rejects.toMatchObject({
      code: 'TICKET_TRANSITION_INVALID',
    });
  });

  it("takeNext: the most urgent ticket of the agent's teams", async () => {
    const { stores, handoff } = setup();
    await queuedCustomer(stores, '2001', { priority: 2, team: 'billing' });
    const urgent = await queuedCustomer(stores, '2002', { priority: 0, team: 'support_l2', slaDeadline: T0 + 60_000 });
    const other = await queuedCustomer(stores, '2003', { priority: 0, team: 'supervisor' });
    const next = await handoff.takeNext(agent('sari', ['billing', 'support_l2']));
    expect(next).toMatchObject({ id: urgent.ticket.id, assignee: 'sari' });
    expect((await handoff.takeNext(agent('budi', ['billing'])))!.priority).toBe(2);
    expect(await handoff.takeNext(agent('tono', ['billing']))).toBeNull();
    expect((await stores.tickets.get(other.ticket.id))!.status).toBe('new');
  });

  it('autoAssign: only for auto-assign teams, only to online agents under capacity', async () => {
    const { stores, handoff, clock } = setup(handoffRouting({ billing: { autoAssign: true, capacity: 1 } }));
    const first = await queuedCustomer(stores, '3001');
    expect(await handoff.autoAssign(first.ticket)).toBeNull(); // nobody online
    await handoff.heartbeat(agent('sari'), 30_000);
    expect(await handoff.autoAssign(first.ticket)).toMatchObject({ assignee: 'sari' });
    const second = await queuedCustomer(stores, '3002');
    expect(await handoff.autoAssign(second.ticket)).toBeNull(); // sari is full
    clock.advance(30_000);
    await handoff.heartbeat(agent('budi'), 30_000);
    expect(await handoff.autoAssign(second.ticket)).toMatchObject({ assignee: 'budi' });
    const supervised = await queuedCustomer(stores, '3003', { team: 'supervisor' });
    expect(await handoff.autoAssign(supervised.ticket)).toBeNull();
  });
});

describe('HandoffService delivery hooks', () => {
  it('delivers a reply as the agent before announcing it; a failed delivery fails the reply', async () => {
    const clock = new ManualClock(T0);
    const stores = createMemoryStores({ clock });
    const sent: unknown[] = [];
    let fail = false;
    const handoff = new HandoffService({
      stores,
      clock,
      routing: () => handoffRouting(),
      deliver: async (to, messages) => {
        if (fail) throw new AppError('CHANNEL_UNAVAILABLE');
        sent.push({ to, messages });
      },
    });
    const { ticket } = await queuedCustomer(stores, '7001');
    await handoff.claim(ticket.id, agent('sari'));
    await handoff.reply(ticket.id, agent('sari'), 'Halo Kak');
    expect(sent).toEqual([
      {
        to: { channel: 'telegram', senderId: '7001' },
        messages: [{ text: 'Halo Kak', from: { kind: 'agent', name: 'Sari' } }],
      },
    ]);
    fail = true;
    await expect(handoff.reply(ticket.id, agent('sari'), 'lagi')).rejects.toMatchObject({
      code: 'CHANNEL_UNAVAILABLE',
    });
  });

  it('asks for the CSAT after a resolve; a failure to ask never undoes the resolve', async () => {
    const clock = new ManualClock(T0);
    const stores = createMemoryStores({ clock });
    const asked: AfterResolve[] = [];
    const handoff = new HandoffService({
      stores,
      clock,
      routing: () => handoffRouting(),
      afterResolve: async (next) => {
        asked.push(next);
        throw new Error('channel down');
      },
    });
    const { ticket } = await queuedCustomer(stores, '7002');
    await handoff.claim(ticket.id, agent('sari'));
    const { next } = await handoff.resolve(ticket.id, agent('sari'));
    expect(asked).toEqual([next]);
    expect((await stores.tickets.get(ticket.id))!.status).toBe('resolved');
  });
});

describe('SlaWatcher', () => {
  it('marks a breach once and alerts; requeues an offline agent after the grace period; assigns waiting tickets', async () => {
    const { stores, handoff, clock, events } = setup(handoffRouting({ billing: { autoAssign: true, capacity: 2 } }));
    const watcher = new SlaWatcher({ stores, clock, handoff, presenceGraceMs: 60_000 });
    const soon = await queuedCustomer(stores, '4001', { slaDeadline: T0 + 10 * 60_000 });
    await handoff.heartbeat(agent('sari'), 30_000);
    expect(await watcher.tick()).toEqual({ atRisk: [], breached: [], requeued: [], assigned: [soon.ticket.id] });

    // Sari's console goes quiet: heartbeat expires at T0+30s, the grace ends at T0+90s.
    clock.set(T0 + 89_000);
    expect((await watcher.tick()).requeued).toEqual([]);
    clock.set(T0 + 90_000);
    expect(await watcher.tick()).toEqual({
      atRisk: [],
      breached: [],
      requeued: [{ agent: 'sari', tickets: [soon.ticket.id] }],
      assigned: [],
    });
    expect((await stores.conversations.get(soon.conversation.id))!.state).toBe('queued');

    clock.set(T0 + 10 * 60_000);
    expect((await watcher.tick()).breached).toEqual([soon.ticket.id]);
    expect((await watcher.tick()).breached).toEqual([]);
    expect((await stores.tickets.get(soon.ticket.id))!.slaBreachedAt).toBe(T0 + 10 * 60_000);
    expect(events.filter((e) => e.name === 'sla_breached')).toHaveLength(1);
    expect(events.filter((e) => e.name === 'tickets_requeued')).toHaveLength(1);

    // Budi comes online: the waiting ticket is assigned on the next tick.
    await handoff.heartbeat(agent('budi'), 30_000);
    expect((await watcher.tick()).assigned).toEqual([soon.ticket.id]);
  });

  it('warns once when the first response is at risk: supervisors alerted, the customer told', async () => {
    const { stores, handoff, clock, events } = setup(handoffRouting({}));
    const warned: string[] = [];
    const watcher = new SlaWatcher({
      stores,
      clock,
      handoff,
      presenceGraceMs: 60_000,
      warnCustomer: async (ticket) => void warned.push(ticket.id),
    });
    const waiting = await queuedCustomer(stores, '4002', { createdAt: T0, slaDeadline: T0 + 10 * 60_000 });
    clock.set(T0 + 8 * 60_000 - 1);
    expect((await watcher.tick()).atRisk).toEqual([]);
    clock.set(T0 + 8 * 60_000);
    expect((await watcher.tick()).atRisk).toEqual([waiting.ticket.id]);
    expect((await watcher.tick()).atRisk).toEqual([]);
    expect(warned).toEqual([waiting.ticket.id]);
    const alerts = events.filter((e) => e.name === 'supervisor_alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.payload).toMatchObject({ reason: 'sla_at_risk', ticket: { id: waiting.ticket.id } });
  });
});
