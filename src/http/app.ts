import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { AuthService } from '../auth/service';
import type { Clock } from '../domain/clock';
import type { Brain } from '../engine/brain';
import type { AcceptResult } from '../channels/telegram/telegram.adapter';
import type { Engine } from '../engine/engine';
import type { Logger } from '../observability/logger';
import type { Stores } from '../store/types';
import { authenticate } from './middleware/auth';
import { errorHandler, notFound } from './middleware/errors';
import { requireJson } from './middleware/json-only';
import { authRoutes, LOGIN_PATH } from './routes/auth';
import { healthRoutes } from './routes/health';
import { nluRoutes } from './routes/nlu';
import { restChannelRoutes } from './routes/rest-channel';
import { telegramChannelRoutes } from './routes/telegram-channel';

export interface AppDeps {
  engine: Engine;
  stores: Stores;
  brain: () => Brain;
  /** Like `brain` but undefined until content is loaded (for /readyz). */
  brainIfReady?: () => Brain | undefined;
  clock: Clock;
  logger: Logger;
  bodyLimitKb: number;
  /** Console users and sessions. */
  auth: AuthService;
  /** Bearer token for integrations; a request with it acts as role `admin`. */
  adminToken?: string;
  /** Session cookies get `Secure` (the app is reached over https). */
  secureCookies: boolean;
  /** Directory of static web assets (web chat). */
  webDir?: string;
  /** The Telegram webhook (webhook mode only): its secret and where updates go. */
  telegramWebhook?: { secret: string; accept: (body: unknown) => Promise<AcceptResult> };
}

/** The web chat and later the console live in `web/` at the repository root. */
export const DEFAULT_WEB_DIR = path.resolve(__dirname, '..', '..', 'web');

/**
 * Builds the express app. No listening, no globals: tests create as many as they like, each on
 * its own port, with memory or Redis stores.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);
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
  app.use(restChannelRoutes({ engine: deps.engine, clock: deps.clock, outbox: deps.stores.outbox }));
  app.use(authRoutes({ auth: deps.auth, secureCookies: deps.secureCookies }));
  app.use(nluRoutes({ brain: deps.brain }));
  app.use(express.static(deps.webDir ?? DEFAULT_WEB_DIR, { index: 'index.html', maxAge: '5m' }));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
