import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { StaffDirectory } from '../auth/directory';
import type { Role } from '../auth/roles';
import type { AuthService } from '../auth/service';
import type { CannedResponse } from '../content/canned';
import type { Clock } from '../domain/clock';
import type { Brain } from '../engine/brain';
import type { AcceptResult } from '../channels/telegram/telegram.adapter';
import type { AttachmentFetcher } from '../channels/types';
import { AppError } from '../domain/errors';
import type { Engine } from '../engine/engine';
import type { HandoffService } from '../handoff/service';
import type { Logger } from '../observability/logger';
import type { Stores } from '../store/types';
import { createAuditor } from './audit';
import { authenticate } from './middleware/auth';
import { errorHandler, notFound } from './middleware/errors';
import { requireJson } from './middleware/json-only';
import { attachmentRoutes } from './routes/attachments';
import { auditRoutes } from './routes/audit';
import { authRoutes, LOGIN_PATH } from './routes/auth';
import { eventRoutes } from './routes/events';
import { loadOpenApi, openApiRoutes } from './routes/openapi';
import { healthRoutes } from './routes/health';
import { nluRoutes } from './routes/nlu';
import { restChannelRoutes } from './routes/rest-channel';
import { ticketRoutes } from './routes/tickets';
import { whatsappCloudChannelRoutes } from './routes/whatsapp-cloud-channel';
import { conversationRoutes } from './routes/conversations';
import { whatsappWebAdminRoutes, type WhatsAppWebAdminDeps } from './routes/whatsapp-web-admin';
import { telegramChannelRoutes } from './routes/telegram-channel';

export interface AppDeps {
  /** The live stream's heartbeat (and session re-check) period (default `SSE_HEARTBEAT_MS`). */
  sseHeartbeatMs?: number;
  engine: Engine;
  stores: Stores;
  brain: () => Brain;
  /** Like `brain` but undefined until content is loaded (for /readyz). */
  brainIfReady?: () => Brain | undefined;
  clock: Clock;
  logger: Logger;
  bodyLimitKb: number;
  /** Reverse proxies whose X-Forwarded-For is believed (`TRUST_PROXY`; default 0). */
  trustProxy?: number;
  /** Console users and sessions. */
  auth: AuthService;
  /** Bearer token for integrations; a request with it acts as role `admin`. */
  adminToken?: string;
  /** Session cookies get `Secure` (the app is reached over https). */
  secureCookies: boolean;
  /** Directory of static web assets (web chat). */
  webDir?: string;
  /** The agent side of handoffs (claim, reply, resolve…). */
  handoff: HandoffService;
  /** The live canned responses (reloaded with the content). */
  canned: () => readonly CannedResponse[];
  /** Roles that see customer notes (`CUSTOMER_NOTES_ROLES`). */
  customerNotesRoles: readonly Role[];
  /** The Telegram webhook (webhook mode only): its secret and where updates go. */
  telegramWebhook?: { secret: string; accept: (body: unknown) => Promise<AcceptResult> };
  /** The WhatsApp Cloud API webhook, when that channel is configured. */
  whatsappWebhook?: { appSecret: string; verifyToken: string; accept: (body: unknown) => Promise<void> };
  /** WhatsApp Web (Baileys), when enabled: the console's connect page. */
  whatsappWeb?: WhatsAppWebAdminDeps['service'];
  /** Fetches customers' files through their channel (the `ChannelRegistry`); none: every file is unavailable. */
  attachments?: AttachmentFetcher;
}

/** How long one console heartbeat keeps an agent online (the console sends one every 10 s). */
export const HEARTBEAT_TTL_MS = 30_000;

/** The web chat and later the console live in `web/` at the repository root. */
export const DEFAULT_WEB_DIR = path.resolve(__dirname, '..', '..', 'web');

/**
 * Builds the express app. No listening, no globals: tests create as many as they like, each on
 * its own port, with memory or Redis stores.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Client addresses come from X-Forwarded-For only behind as many proxies as configured.
  app.set('trust proxy', deps.trustProxy ?? 0);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'frame-ancestors': ["'none'"],
          // Same-origin plain-HTTP development must keep working: no forced upgrade.
          'upgrade-insecure-requests': null,
        },
      },
      strictTransportSecurity: false,
    }),
  );
  app.use(healthRoutes({ stores: deps.stores, brain: deps.brainIfReady ?? deps.brain }));
  // Before the shared body parser: the webhook checks Telegram's secret before reading anything.
  if (deps.telegramWebhook) {
    app.use(telegramChannelRoutes({ ...deps.telegramWebhook, bodyLimitKb: deps.bodyLimitKb }));
  }
  // Also before it: the signature covers the raw bytes, so this route reads them itself.
  if (deps.whatsappWebhook) app.use(whatsappCloudChannelRoutes(deps.whatsappWebhook));
  app.use(['/api', '/channels'], requireJson, express.json({ limit: `${deps.bodyLimitKb}kb`, strict: true }));
  app.use(
    '/api',
    authenticate({
      auth: deps.auth,
      adminToken: deps.adminToken,
      secureCookies: deps.secureCookies,
      csrfExempt: [LOGIN_PATH],
    }),
  );
  const auditor = createAuditor({ audit: deps.stores.audit, clock: deps.clock, logger: deps.logger });
  const directory = new StaffDirectory(deps.stores.users, deps.clock);
  app.use(restChannelRoutes({ engine: deps.engine, clock: deps.clock, outbox: deps.stores.outbox }));
  app.use(authRoutes({ auth: deps.auth, secureCookies: deps.secureCookies, auditor }));
  app.use(
    ticketRoutes({
      handoff: deps.handoff,
      stores: deps.stores,
      directory,
      auditor,
      clock: deps.clock,
      routing: () => deps.brain().content.routing,
      canned: deps.canned,
      customerNotesRoles: deps.customerNotesRoles,
      heartbeatTtlMs: HEARTBEAT_TTL_MS,
    }),
  );
  app.use(conversationRoutes({ engine: deps.engine, stores: deps.stores, auditor }));
  app.use(whatsappWebAdminRoutes({ service: deps.whatsappWeb, auditor }));
  app.use(
    attachmentRoutes({
      stores: deps.stores,
      fetcher: deps.attachments ?? {
        fetchAttachment: () => Promise.reject(new AppError('CHANNEL_UNAVAILABLE', 'No channel can fetch files here')),
      },
      auditor,
      logger: deps.logger,
    }),
  );
  app.use(auditRoutes({ audit: deps.stores.audit }));
  app.use(
    eventRoutes({
      bus: deps.stores.events,
      heartbeatMs: deps.sseHeartbeatMs,
      sessionAlive: async (id) => (await deps.stores.sessions.get(id)) !== null,
    }),
  );
  app.use(openApiRoutes(loadOpenApi()));
  app.use(nluRoutes({ brain: deps.brain }));
  app.use(express.static(deps.webDir ?? DEFAULT_WEB_DIR, { index: 'index.html', maxAge: '5m' }));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
