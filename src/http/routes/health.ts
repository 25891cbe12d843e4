import { Router } from 'express';
import type { Brain } from '../../engine/brain';
import type { Stores } from '../../store/types';

/**
 * `/healthz`: the process is up (for restarts). `/readyz`: it can serve traffic: the store
 * answers and content is loaded (for load balancers). Neither needs authentication; neither
 * says anything secret.
 */
export function healthRoutes(deps: { stores: Stores; brain: () => Brain | undefined }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const brain = deps.brain();
    let storeOk = true;
    try {
      await deps.stores.ping();
    } catch {
      storeOk = false;
    }
    const ready = storeOk && brain !== undefined;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      store: { kind: deps.stores.kind, ok: storeOk },
      content: brain
        ? { ok: true, version: brain.content.version, intents: brain.content.intents.length, trainMs: brain.trainMs }
        : { ok: false },
    });
  });
  return router;
}
