import { Router } from 'express';
import {
  encodeRest,
  encodeRestOutbox,
  REST_CHANNEL,
  restCapabilities,
  restCodec,
  restInboundSchema,
  restPollSchema,
} from '../../channels/rest/rest.codec';
import type { Clock } from '../../domain/clock';
import type { Engine } from '../../engine/engine';
import type { OutboxStore } from '../../store/types';
import { parseOrThrow } from '../middleware/validate';

/**
 * The REST channel:
 * - `POST /channels/rest/messages`: one customer message in, the bot's replies out;
 * - `GET /channels/rest/messages?sender=…&after=<cursor>&limit=…`: what was sent to the customer
 *   later (agent replies, the CSAT question), oldest first, from their outbox.
 */
export function restChannelRoutes(deps: { engine: Engine; clock: Clock; outbox: OutboxStore }): Router {
  const router = Router();
  router.post('/channels/rest/messages', async (req, res) => {
    const body = parseOrThrow(restInboundSchema, req.body);
    const outcome = await deps.engine.handle(restCodec.decode(body, deps.clock.now()), {
      name: REST_CHANNEL,
      capabilities: restCapabilities,
    });
    res.json(encodeRest(outcome));
  });
  router.get('/channels/rest/messages', async (req, res) => {
    const query = parseOrThrow(restPollSchema, req.query);
    const page = await deps.outbox.read(REST_CHANNEL, query.sender, query.after, query.limit);
    res.set('Cache-Control', 'no-store').json(encodeRestOutbox(page));
  });
  return router;
}
