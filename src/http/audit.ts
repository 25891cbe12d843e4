import type { Response } from 'express';
import type { AuditAction } from '../domain/audit';
import type { Clock } from '../domain/clock';
import type { Logger } from '../observability/logger';
import type { AuditLog } from '../store/types';
import { authOf } from './middleware/auth';

export interface Auditor {
  /**
   * Records that the caller of this request did `action` (after it succeeded). A failure to write
   * the entry is logged, not thrown: the action already happened, and answering 500 would make the
   * agent repeat it (a second reply to the customer).
   */
  record(res: Response, action: AuditAction, ticketId?: string, detail?: Record<string, string>): Promise<void>;
  /** The same for a known user (login, where the request has no session yet). */
  recordFor(
    actor: { username: string; role: string },
    action: AuditAction,
    detail?: Record<string, string>,
  ): Promise<void>;
}

export function createAuditor(deps: { audit: AuditLog; clock: Clock; logger: Logger }): Auditor {
  const write = async (
    actor: { username: string; role: string },
    action: AuditAction,
    ticketId?: string,
    detail?: Record<string, string>,
  ) => {
    try {
      await deps.audit.append({
        at: deps.clock.now(),
        actor,
        action,
        ...(ticketId !== undefined ? { ticketId } : {}),
        ...(detail !== undefined ? { detail } : {}),
      });
    } catch (err) {
      deps.logger.warn({ err, action }, 'audit entry not written');
    }
  };
  return {
    async record(res, action, ticketId, detail) {
      const auth = authOf(res);
      if (!auth || auth.via === 'bad-token') return;
      await write({ username: auth.principal.username, role: auth.principal.role }, action, ticketId, detail);
    },
    recordFor: (actor, action, detail) => write(actor, action, undefined, detail),
  };
}
