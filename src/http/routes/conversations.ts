import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import type { Engine } from '../../engine/engine';
import type { Stores } from '../../store/types';
import type { Auditor } from '../audit';
import { requireRole } from '../middleware/auth';
import { parseOrThrow } from '../middleware/validate';

export interface ConversationRouteDeps {
  engine: Pick<Engine, 'handBack'>;
  stores: Stores;
  auditor: Auditor;
}

/** A conversation id: `<channel>:<senderId>`. */
const conversationParam = z.string().min(3).max(200).regex(/^[a-z0-9-]+:.+$/, { error: 'a conversation id' });

/** A conversation the bot is silent in because a person answers on the business phone. */
export interface PausedConversation {
  conversationId: string;
  channel: string;
  senderId: string;
  customerName?: string;
  by: 'phone';
  since: number;
  /** The open ticket, when the customer also asked for a person. */
  ticketId?: string;
}

/**
 * Conversations paused by a human takeover (someone answered on the business phone):
 *
 * | route | permission |
 * |---|---|
 * | `GET /api/conversations/paused` oldest first | `tickets:read` |
 * | `POST /api/conversations/:id/hand-back` the bot answers again (audited `hand_back`) | `tickets:work` |
 */
export function conversationRoutes(deps: ConversationRouteDeps): Router {
  const router = Router();
  router.use('/api/conversations', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/api/conversations/paused', requireRole('tickets:read'), async (_req, res) => {
    const entries = await deps.stores.takeovers.list();
    const conversations = await Promise.all(entries.map((e) => deps.stores.conversations.get(e.conversationId)));
    const paused: PausedConversation[] = [];
    for (const conv of conversations) {
      if (!conv?.humanTakeover) continue;
      const row: PausedConversation = {
        conversationId: conv.id,
        channel: conv.channel,
        senderId: conv.senderId,
        by: conv.humanTakeover.by,
        since: conv.humanTakeover.since,
      };
      if (conv.customerName) row.customerName = conv.customerName;
      if (conv.ticketId) row.ticketId = conv.ticketId;
      paused.push(row);
    }
    res.json({ conversations: paused });
  });

  router.post('/api/conversations/:id/hand-back', requireRole('tickets:work'), async (req, res) => {
    const id = parseOrThrow(conversationParam, req.params.id);
    const conv = await deps.stores.conversations.get(id);
    if (!conv) throw new AppError('NOT_FOUND', 'No such conversation');
    const handedBack = await deps.engine.handBack(id);
    if (handedBack) await deps.auditor.record(res, 'hand_back', conv.ticketId, { channel: conv.channel });
    res.json({ conversationId: id, handedBack });
  });
  return router;
}
