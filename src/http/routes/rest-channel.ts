import { Router } from 'express';
import { encodeRest, REST_CHANNEL, restCapabilities, restCodec, restInboundSchema } from '../../channels/rest/rest.codec';
import type { Clock } from '../../domain/clock';
import type { Engine } from '../../engine/engine';
import { parseOrThrow } from '../middleware/validate';

/** `POST /channels/rest/messages`: one customer message in, the bot's replies out. */
export function restChannelRoutes(deps: { engine: Engine; clock: Clock }): Router {
  const router = Router();
  router.post('/channels/rest/messages', async (req, res) => {
    const body = parseOrThrow(restInboundSchema, req.body);
    const outcome = await deps.engine.handle(restCodec.decode(body, deps.clock.now()), {
      name: REST_CHANNEL,
      capabilities: restCapabilities,
    });
    res.json(encodeRest(outcome));
  });
  return router;
}
