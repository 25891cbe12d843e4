import { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../store/types';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT } from '../../store/audit-query';
import { requireRole } from '../middleware/auth';
import { parseOrThrow } from '../middleware/validate';

const auditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).default(AUDIT_DEFAULT_LIMIT),
  before: z.string().min(1).max(64).optional(),
  ticket: z.string().min(1).max(128).optional(),
  actor: z.string().trim().toLowerCase().min(1).max(32).optional(),
});

/**
 * `GET /api/audit?limit=&before=&ticket=&actor=` (`audit:read`: admin, supervisor): the audit log,
 * newest first. Page on with `before=<id of the last entry>`; `next` is that cursor, or null at the end.
 */
export function auditRoutes(deps: { audit: AuditLog }): Router {
  const router = Router();
  router.get('/api/audit', requireRole('audit:read'), async (req, res) => {
    const q = parseOrThrow(auditQuery, req.query);
    const entries = await deps.audit.list({ limit: q.limit, before: q.before, ticketId: q.ticket, actor: q.actor });
    res.set('Cache-Control', 'no-store');
    res.json({ entries, next: entries.length === q.limit ? entries[entries.length - 1]!.id : null });
  });
  return router;
}
