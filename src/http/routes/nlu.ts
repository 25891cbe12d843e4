import { Router } from 'express';
import { z } from 'zod';
import { decide } from '../../dialogue/policy';
import type { Brain } from '../../engine/brain';
import { requireRole } from '../middleware/auth';
import { parseOrThrow } from '../middleware/validate';

const parseSchema = z.strictObject({
  text: z.string().min(1, { error: 'text must not be empty' }).max(4000),
  locale: z.enum(['id', 'en']).optional(),
});

/**
 * `POST /api/nlu/parse`: what the bot understands of a sentence and what it would do, for content
 * staff checking their examples. Uses exactly the engine's NLU and policy (no conversation state).
 * Needs the `nlu:parse` permission: an `admin` or `content_editor` session, or the admin token.
 */
export function nluRoutes(deps: { brain: () => Brain }): Router {
  const router = Router();
  router.post('/api/nlu/parse', requireRole('nlu:parse'), (req, res) => {
    const body = parseOrThrow(parseSchema, req.body);
    const { content, nlu } = deps.brain();
    const result = nlu.parse(body.text, body.locale);
    const decision = decide({ nlu: result, content });
    const top = result.ranking[0];
    res.json({
      intent: top?.intent ?? null,
      confidence: top?.confidence ?? 0,
      ranking: result.ranking.slice(0, 5),
      category: decision.action === 'clarify' ? null : decision.category,
      action: decision.action,
      rule: decision.rule,
      reason: decision.reason,
      rules: result.rules,
      locale: result.locale,
      normalized: result.normalized,
    });
  });
  return router;
}
