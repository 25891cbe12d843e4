import { Router } from 'express';
import { can, type Role } from '../../auth/roles';
import type { LiveEvent } from '../../domain/live-event';
import type { EventBus } from '../../store/types';
import { authOf, requireRole } from '../middleware/auth';

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting a dropped stream. */
export const SSE_RETRY_MS = 3_000;

/**
 * Who receives what (server-side, per role): every ticket event (`ticket_changed`, `new_handoff`,
 * `sla_breached`) goes to roles that may read tickets (the queue they can list anyway);
 * `supervisor_alert` only to roles with the supervisor view (`dashboard:view`).
 */
export function visibleTo(event: LiveEvent, role: Role): boolean {
  if (event.type === 'supervisor_alert') return can(role, 'dashboard:view');
  return can(role, 'tickets:read');
}

/**
 * `GET /api/events`: the console's live stream (server-sent events, `tickets:read`, authenticated
 * by the session cookie the browser's `EventSource` sends). Frames are `event: <type>` with the
 * JSON `LiveEvent` as `data`. The first frame, `ready`, says the subscription is live (anything
 * after it is delivered); a `: ping` comment follows every 15 s. Events come from the `EventBus`,
 * so a change made on any instance reaches every instance's streams.
 *
 * A stream opened with a session lives only as long as the session: at every heartbeat the session
 * is looked up again (`sessionAlive`), and after a logout, an expiry or a disabled account the
 * stream ends (the browser's reconnect then gets 401).
 */
export function eventRoutes(deps: {
  bus: EventBus;
  heartbeatMs?: number;
  sessionAlive?: (sessionId: string) => Promise<boolean>;
}): Router {
  const router = Router();
  router.get('/api/events', requireRole('tickets:read'), async (req, res) => {
    const auth = authOf(res);
    if (!auth || auth.via === 'bad-token') return;
    const role = auth.principal.role;
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // nginx and similar proxies must not buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: ${SSE_RETRY_MS}\n\n`);

    let closed = false;
    const send = (event: string, data: unknown) => {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const unsubscribe = await deps.bus.subscribe((event) => {
      if (visibleTo(event, role)) send(event.type, event);
    });
    const sessionId = auth.via === 'session' ? auth.session.id : undefined;
    const heartbeat = setInterval(() => {
      if (closed) return;
      if (sessionId === undefined || !deps.sessionAlive) return void res.write(': ping\n\n');
      deps.sessionAlive(sessionId).then(
        (alive) => (alive ? res.write(': ping\n\n') : res.end()),
        () => res.write(': ping\n\n'), // a store hiccup is not a logout
      );
    }, deps.heartbeatMs ?? SSE_HEARTBEAT_MS);
    heartbeat.unref();
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
    };
    req.on('close', close);
    res.on('close', close);
    if (req.destroyed) return close();
    send('ready', { at: Date.now(), role });
  });
  return router;
}
