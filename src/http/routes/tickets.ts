import { Router, type Response } from 'express';
import { z } from 'zod';
import type { StaffDirectory } from '../../auth/directory';
import { rolesWith, type Role } from '../../auth/roles';
import type { CannedResponse } from '../../content/canned';
import { CANNED_VARIABLES } from '../../content/canned';
import type { Routing } from '../../content/model';
import type { Clock } from '../../domain/clock';
import { AppError } from '../../domain/errors';
import { summarize, type TicketSummary } from '../../domain/live-event';
import { TICKET_STATUSES, WAITING_STATUSES, type Ticket, type TicketStatus } from '../../domain/ticket';
import { DEFAULT_CUSTOMER_NAME } from '../../dialogue/render';
import { supervisorOverview } from '../../handoff/overview';
import type { HandoffService, StaffMember } from '../../handoff/service';
import type { Stores } from '../../store/types';
import type { Auditor } from '../audit';
import { authOf, requireRole } from '../middleware/auth';
import { parseOrThrow } from '../middleware/validate';

export interface TicketRouteDeps {
  handoff: HandoffService;
  stores: Stores;
  directory: StaffDirectory;
  auditor: Auditor;
  clock: Clock;
  routing: () => Routing;
  canned: () => readonly CannedResponse[];
  /** Roles that may read and write customer notes (besides holding `customers:notes`). */
  customerNotesRoles: readonly Role[];
  /** How long one console heartbeat keeps an agent online. */
  heartbeatTtlMs: number;
}

/** A ticket row as the queue shows it: the live events' summary plus the owner's display name. */
export type TicketRow = TicketSummary & { assigneeName?: string };

const MAX_TEXT = 4000;
const text = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(MAX_TEXT, { error: `${what} is longer than ${MAX_TEXT} characters` });
const optionalNote = text('note').optional();
const idParam = z.string().min(1).max(128);
const team = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { error: 'team: a team id such as billing' });
const username = z.string().trim().toLowerCase().min(1).max(32);

const listQuery = z.strictObject({
  status: z
    .string()
    .optional()
    .transform((v, ctx): TicketStatus[] => {
      if (v === undefined || v === '') return [...WAITING_STATUSES];
      if (v === 'open') return TICKET_STATUSES.filter((s) => s !== 'resolved');
      if (v === 'all') return [...TICKET_STATUSES];
      const list = v.split(',').map((s) => s.trim());
      const bad = list.filter((s) => !(TICKET_STATUSES as readonly string[]).includes(s));
      if (bad.length) {
        ctx.addIssue({ code: 'custom', message: `unknown status; use ${TICKET_STATUSES.join(', ')}, open or all` });
        return z.NEVER;
      }
      return list as TicketStatus[];
    }),
  team: team.optional(),
  mine: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** `replyId`: the console's id for one composed message, so a retry after a failed delivery is not stored twice. */
const replyBody = z.strictObject({
  text: text('text'),
  replyId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'replyId: 8–64 letters, digits, - or _')
    .optional(),
});
const noteBody = z.strictObject({ text: text('text') });
const transferBody = z.union([
  z.strictObject({ team, note: optionalNote }),
  z.strictObject({ agent: username, team: team.optional(), note: optionalNote }),
]);
const statusBody = z.strictObject({
  status: z.enum(['new', 'in_progress', 'waiting_customer', 'escalated'], {
    error: 'status: one of new, in_progress, waiting_customer, escalated (use /resolve to resolve)',
  }),
  note: optionalNote,
});
const resolveBody = z.strictObject({ note: optionalNote });
const customerParams = z.strictObject({
  channel: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, { error: 'channel: a channel name such as telegram' }),
  sender: z.string().min(1).max(200),
});
const customerNoteBody = z.strictObject({
  text: z
    .string({ error: 'text must be a string' })
    .max(MAX_TEXT, { error: `text is longer than ${MAX_TEXT} characters` }),
});

/** The console user behind the request, as the handoff service wants it. */
export function staffOf(res: Response): StaffMember {
  const auth = authOf(res);
  if (!auth || auth.via === 'bad-token') throw new AppError('UNAUTHORIZED');
  const p = auth.principal;
  if (p.role === 'content_editor') throw new AppError('FORBIDDEN');
  return { id: p.username, role: p.role, displayName: p.displayName, teams: p.teams };
}

/**
 * The agent console's API (every route needs a session or the admin token, and a permission):
 *
 * | route | permission |
 * |---|---|
 * | `GET /api/tickets?status=&team=&mine=&limit=` queue order | `tickets:read` |
 * | `GET /api/tickets/:id` context packet, transcript, history, notes (audited `read`) | `tickets:read` |
 * | `POST /api/tickets/:id/claim` (409 `TICKET_TAKEN` with the owner) · `/reply` · `/note` · `/transfer` · `/status` · `/resolve` | `tickets:work` |
 * | `POST /api/tickets/take-next` · `POST /api/agents/heartbeat` · `GET /api/canned` | `tickets:work` |
 * | `GET /api/supervisor/overview` | `dashboard:view` |
 * | `GET`/`PUT /api/customers/:channel/:sender/notes` | `customers:notes` and a role in `CUSTOMER_NOTES_ROLES` |
 *
 * Every change goes through `HandoffService` (atomic in the store, events for the live stream)
 * and is recorded in the audit log; errors come from the catalog.
 */
export function ticketRoutes(deps: TicketRouteDeps): Router {
  const router = Router();
  router.use(['/api/tickets', '/api/agents', '/api/supervisor', '/api/customers', '/api/canned'], (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  const rows = async (tickets: Ticket[]): Promise<TicketRow[]> => {
    const names = await deps.directory.names(tickets.map((t) => t.assignee));
    return tickets.map((t) => {
      const row: TicketRow = summarize(t);
      if (t.assignee) row.assigneeName = names[t.assignee] ?? t.assignee;
      return row;
    });
  };
  const detail = async (ticket: Ticket, res: Response) => {
    const names = await deps.directory.names([
      ticket.assignee,
      ...ticket.history.filter((h) => h.actor.role !== 'customer').map((h) => h.actor.id),
      ...ticket.history.map((h) => h.assignee ?? undefined),
      ...ticket.notes.map((n) => n.author),
    ]);
    // A person answering on the business phone: the console shows "paused" and offers a hand-back.
    const [conversation, delivery] = await Promise.all([
      deps.stores.conversations.get(ticket.conversationId),
      // How far our latest message to the customer got (WhatsApp Cloud reports it; null elsewhere).
      deps.stores.receipts.latest(ticket.conversationId),
    ]);
    const takeover = conversation?.humanTakeover;
    return {
      ticket,
      names,
      customerNotes: { allowed: notesAllowed(res) },
      ...(takeover ? { takeover } : {}),
      ...(delivery ? { delivery: { messageId: delivery.messageId, state: delivery.state, at: delivery.at } } : {}),
    };
  };
  const notesAllowed = (res: Response) => {
    const auth = authOf(res);
    return auth !== undefined && auth.via !== 'bad-token' && deps.customerNotesRoles.includes(auth.principal.role);
  };
  const mustGet = async (id: string) => {
    const ticket = await deps.stores.tickets.get(id);
    if (!ticket) throw new AppError('NOT_FOUND', 'No such ticket');
    return ticket;
  };

  router.get('/api/tickets', requireRole('tickets:read'), async (req, res) => {
    const q = parseOrThrow(listQuery, req.query);
    let tickets = await deps.stores.tickets.listQueue({ status: q.status, team: q.team });
    if (q.mine === 'true') {
      const me = staffOf(res).id;
      tickets = tickets.filter((t) => t.assignee === me);
    }
    res.json({ tickets: await rows(tickets.slice(0, q.limit)) });
  });

  router.post('/api/tickets/take-next', requireRole('tickets:work'), async (_req, res) => {
    const member = staffOf(res);
    const ticket = await deps.handoff.takeNext(member);
    if (ticket) await deps.auditor.record(res, 'take_next', ticket.id);
    res.json({ ticket: ticket ? (await rows([ticket]))[0] : null });
  });

  router.get('/api/tickets/:id', requireRole('tickets:read'), async (req, res) => {
    const ticket = await mustGet(parseOrThrow(idParam, req.params.id));
    await deps.auditor.record(res, 'read', ticket.id);
    res.json(await detail(ticket, res));
  });

  router.post('/api/tickets/:id/claim', requireRole('tickets:work'), async (req, res) => {
    const id = parseOrThrow(idParam, req.params.id);
    const result = await deps.handoff.claim(id, staffOf(res));
    if (!result.ok) {
      if (result.owner) {
        const ownerName = await deps.directory.displayName(result.owner);
        throw new AppError('TICKET_TAKEN', `Already claimed by ${ownerName}`, {
          owner: result.owner,
          ownerName,
          status: result.status,
        });
      }
      throw new AppError('TICKET_TRANSITION_INVALID', `The ticket is ${result.status} and cannot be claimed`, {
        status: result.status,
      });
    }
    await deps.auditor.record(res, 'claim', id);
    res.json(await detail(result.ticket, res));
  });

  router.post('/api/tickets/:id/reply', requireRole('tickets:work'), async (req, res) => {
    const id = parseOrThrow(idParam, req.params.id);
    const body = parseOrThrow(replyBody, req.body);
    const turn = await deps.handoff.reply(id, staffOf(res), body.text, { replyId: body.replyId });
    await deps.auditor.record(res, 'reply', id);
    res.json({ turn, ...(await detail(await mustGet(id), res)) });
  });

  router.post('/api/tickets/:id/note', requireRole('tickets:work'), async (req, res) => {
    const id = parseOrThrow(idParam, req.params.id);
    const body = parseOrThrow(noteBody, req.body);
    const ticket = await deps.handoff.note(id, staffOf(res), body.text);
    await deps.auditor.record(res, 'note', id);
    res.json(await detail(ticket, res));
  });

  router.post('/api/tickets/:id/transfer', requireRole('tickets:work'), async (req, res) => {
    const id = parseOrThrow(idParam, req.params.id);
    const body = parseOrThrow(transferBody, req.body);
    const teams = deps.routing().teams;
    if (body.team !== undefined && !teams[body.team]) {
      throw new AppError('VALIDATION_FAILED', `Unknown team "${body.team}"`, [
        { field: 'team', message: 'unknown team' },
      ]);
    }
    if ('agent' in body && body.agent !== undefined) {
      const target = await deps.stores.users.get(body.agent);
      if (!target || target.disabled || target.role === 'content_editor') {
        throw new AppError('VALIDATION_FAILED', 'No such agent', [{ field: 'agent', message: 'no such agent' }]);
      }
    }
    const target =
      'agent' in body && body.agent !== undefined ? { agent: body.agent, team: body.team } : { team: body.team! };
    const ticket = await deps.handoff.transfer(id, staffOf(res), target, body.note);
    const detailFacts: Record<string, string> = {};
    if ('agent' in body && body.agent !== undefined) detailFacts.agent = body.agent;
    if (body.team !== undefined) detailFacts.team = body.team;
    await deps.auditor.record(res, 'transfer', id, detailFacts);
    res.json(await detail(ticket, res));
  });

  router.post('/api/tickets/:id/status', requireRole('tickets:work'), async (req, res) => {
    const id = parseOrThrow(idParam, req.params.id);
    const body = parseOrThrow(statusBody, req.body);
    const ticket = await deps.handoff.setStatus(id, staffOf(res), body.status, body.note);
    await deps.auditor.record(res, 'status', id, { to: body.status });
    res.json(await detail(ticket, res));
  });

  router.post('/api/tickets/:id/resolve', requireRole('tickets:work'), async (req, res) => {
    const id = parseOrThrow(idParam, req.params.id);
    const body = parseOrThrow(resolveBody, req.body ?? {});
    const { ticket, next } = await deps.handoff.resolve(id, staffOf(res), body.note);
    await deps.auditor.record(res, 'resolve', id);
    res.json({ ...(await detail(ticket, res)), next });
  });

  router.post('/api/agents/heartbeat', requireRole('tickets:work'), async (_req, res) => {
    const member = staffOf(res);
    await deps.handoff.heartbeat(member, deps.heartbeatTtlMs);
    res.json({ onlineUntil: deps.clock.now() + deps.heartbeatTtlMs, teams: member.teams });
  });

  router.get('/api/supervisor/overview', requireRole('dashboard:view'), async (_req, res) => {
    const now = deps.clock.now();
    const [tickets, online] = await Promise.all([
      deps.stores.tickets.listQueue({ status: TICKET_STATUSES }),
      deps.stores.presence.onlineAgents({ now }),
    ]);
    const ids = online.map((a) => a.id);
    const [loads, names] = await Promise.all([deps.stores.tickets.agentLoads(ids), deps.directory.names(ids)]);
    res.json(supervisorOverview({ now, tickets, teams: Object.keys(deps.routing().teams), online, loads, names }));
  });

  router.get('/api/canned', requireRole('tickets:work'), (_req, res) => {
    const business = deps.routing().business;
    res.json({
      variables: CANNED_VARIABLES,
      defaults: {
        customer_name: DEFAULT_CUSTOMER_NAME,
        business_name: business.name,
        business_hours: business.hoursText,
      },
      responses: deps.canned().map(({ id, title, text }) => ({ id, title, text })),
    });
  });

  const requireNotesRole = (res: Response) => {
    if (!notesAllowed(res)) {
      throw new AppError('FORBIDDEN', 'Customer notes are not shown to this role', {
        permission: 'customers:notes',
        roles: rolesWith('customers:notes').filter((r) => deps.customerNotesRoles.includes(r)),
      });
    }
  };
  router.get('/api/customers/:channel/:sender/notes', requireRole('customers:notes'), async (req, res) => {
    requireNotesRole(res);
    const { channel, sender } = parseOrThrow(customerParams, req.params);
    const note = await deps.stores.customerNotes.get(channel, sender);
    await deps.auditor.record(res, 'customer_notes_read', undefined, { channel });
    res.json({ note });
  });
  router.put('/api/customers/:channel/:sender/notes', requireRole('customers:notes'), async (req, res) => {
    requireNotesRole(res);
    const { channel, sender } = parseOrThrow(customerParams, req.params);
    const body = parseOrThrow(customerNoteBody, req.body);
    const note = await deps.stores.customerNotes.put({
      channel,
      senderId: sender,
      text: body.text.trim(),
      updatedAt: deps.clock.now(),
      updatedBy: staffOf(res).id,
    });
    await deps.auditor.record(res, 'customer_notes_write', undefined, { channel });
    res.json({ note });
  });
  return router;
}
