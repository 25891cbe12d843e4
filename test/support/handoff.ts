import type { Routing, TeamDef } from '../../src/content/model';
import type { Clock } from '../../src/domain/clock';
import { newConversation, type Conversation } from '../../src/domain/conversation';
import type { NewTicket, Ticket } from '../../src/domain/ticket';
import { HandoffService, type StaffMember } from '../../src/handoff/service';
import type { Stores } from '../../src/store/types';
import { sampleTicket, T0 } from '../contract/store-contract';
import { fixtureContent } from '../unit/dialogue/fixture-content';

/** Monday 6 January 2025, 09:00 in Jakarta (the store contract's clock). */
export { T0 };

export const agent = (id: string, teams: string[] = ['billing']): StaffMember => ({
  id,
  role: 'agent',
  displayName: id[0]!.toUpperCase() + id.slice(1),
  teams,
});

/** The dialogue fixture's routing with teams for the handoff tests. */
export function handoffRouting(teams: Record<string, Partial<TeamDef>> = {}): Routing {
  const routing = fixtureContent().routing;
  const team = (id: string, over: Partial<TeamDef> = {}): TeamDef => ({
    id,
    name: { id: `Tim ${id}`, en: `${id} team` },
    where: { id: 'di chat ini', en: 'in this chat' },
    autoAssign: false,
    capacity: 3,
    ...over,
  });
  routing.teams = Object.fromEntries(
    Object.entries({ billing: {}, support_l2: {}, supervisor: {}, ...teams }).map(([id, over]) => [id, team(id, over)]),
  );
  routing.reopenWindowMinutes = 30;
  return routing;
}

export function handoffService(stores: Stores, clock: Clock, routing: Routing = handoffRouting()): HandoffService {
  return new HandoffService({ stores, clock, routing: () => routing });
}

/**
 * What the engine does on a handoff: a ticket, and the conversation `queued` on it.
 * Returns both as stored.
 */
export async function queuedCustomer(
  stores: Stores,
  senderId: string,
  over: Partial<NewTicket> = {},
): Promise<{ ticket: Ticket; conversation: Conversation }> {
  const conv = newConversation('telegram', senderId, 'id', T0);
  const ticket = await stores.tickets.create(sampleTicket({ conversationId: conv.id, senderId, ...over }), 'MJ');
  conv.state = 'queued';
  conv.ticketId = ticket.id;
  const conversation = await stores.conversations.save(conv);
  return { ticket, conversation };
}
