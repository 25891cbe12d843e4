import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../domain/errors';
import { envSchema, WHATSAPP_WEB_RISK_ACK, type Config, type Env, type TelegramConfig } from './schema';

/** One bad environment variable, named, with what was wrong (never its value: it may be a secret). */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/**
 * Reads and validates the environment. Reports EVERY bad variable at once (so an operator fixes
 * them in one go) by throwing `AppError('CONFIG_INVALID')` with `details: ConfigProblem[]`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, repoRoot = defaultRepoRoot()): Config {
  // Empty strings count as unset: `FOO= npm start` should not fail validation of FOO.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems: ConfigProblem[] = parsed.success ? [] : toProblems(parsed.error);
  if (parsed.success) {
    const e = parsed.data;
    if (e.NODE_ENV === 'production') {
      if (!e.REDIS_URL && !e.ALLOW_MEMORY_STORE_IN_PRODUCTION) {
        problems.push({
          variable: 'REDIS_URL',
          message:
            'production mode needs Redis (the memory store loses everything on restart and cannot be shared by instances); set REDIS_URL, or ALLOW_MEMORY_STORE_IN_PRODUCTION=true to accept that',
        });
      }
      if (!e.ADMIN_API_TOKEN) {
        problems.push({
          variable: 'ADMIN_API_TOKEN',
          message: 'required in production (the admin token for integrations)',
        });
      }
    }
  }
  if (parsed.success) problems.push(...telegramProblems(parsed.data));
  if (parsed.success) problems.push(...whatsappWebProblems(parsed.data));
  if (parsed.success) problems.push(...whatsappCloudProblems(parsed.data));
  if (!parsed.success || problems.length > 0) {
    throw new AppError('CONFIG_INVALID', formatProblems(problems), problems);
  }
  const e = parsed.data;
  return {
    mode: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    redisUrl: e.REDIS_URL,
    allowMemoryStoreInProduction: e.ALLOW_MEMORY_STORE_IN_PRODUCTION,
    contentDir: path.resolve(repoRoot, e.CONTENT_DIR ?? '.'),
    contentWatch: e.CONTENT_WATCH ?? e.NODE_ENV !== 'production',
    logLevel: e.LOG_LEVEL,
    adminApiToken: e.ADMIN_API_TOKEN,
    bodyLimitKb: e.BODY_LIMIT_KB,
    trustProxy: e.TRUST_PROXY,
    maxMessageChars: e.MAX_MESSAGE_CHARS,
    demoPassword: e.DEMO_PASSWORD,
    sessionTtlMs: Math.round(e.SESSION_TTL_HOURS * 3_600_000),
    secureCookies: e.PUBLIC_URL?.startsWith('https:') ?? false,
    customerNotesRoles: e.CUSTOMER_NOTES_ROLES,
    telegram: telegramConfig(e),
    whatsappCloud: e.WHATSAPP_CLOUD_ACCESS_TOKEN
      ? {
          accessToken: e.WHATSAPP_CLOUD_ACCESS_TOKEN,
          phoneNumberId: e.WHATSAPP_CLOUD_PHONE_NUMBER_ID!,
          appSecret: e.WHATSAPP_CLOUD_APP_SECRET!,
          verifyToken: e.WHATSAPP_CLOUD_VERIFY_TOKEN!,
          apiBase: e.WHATSAPP_CLOUD_API_BASE,
          reengageTemplate: e.WHATSAPP_CLOUD_REENGAGE_TEMPLATE
            ? { name: e.WHATSAPP_CLOUD_REENGAGE_TEMPLATE, language: e.WHATSAPP_CLOUD_REENGAGE_TEMPLATE_LANG }
            : undefined,
        }
      : undefined,
    whatsappWeb: e.WHATSAPP_WEB_ENABLED
      ? { session: e.WHATSAPP_WEB_SESSION, allowGroups: e.WHATSAPP_WEB_ALLOW_GROUPS }
      : undefined,
  };
}

/** With the Cloud API's access token set, every other secret it needs must be set too. */
function whatsappCloudProblems(e: Env): ConfigProblem[] {
  if (!e.WHATSAPP_CLOUD_ACCESS_TOKEN) return [];
  const required = [
    'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
    'WHATSAPP_CLOUD_APP_SECRET',
    'WHATSAPP_CLOUD_VERIFY_TOKEN',
  ] as const;
  return required
    .filter((variable) => !e[variable])
    .map((variable) => ({ variable, message: 'required when WHATSAPP_CLOUD_ACCESS_TOKEN is set' }));
}

/** WhatsApp Web starts only with the ban risk acknowledged in so many words. */
function whatsappWebProblems(e: Pick<Env, 'WHATSAPP_WEB_ENABLED' | 'WHATSAPP_WEB_ACCEPT_RISK'>): ConfigProblem[] {
  if (!e.WHATSAPP_WEB_ENABLED || e.WHATSAPP_WEB_ACCEPT_RISK === WHATSAPP_WEB_RISK_ACK) return [];
  return [
    {
      variable: 'WHATSAPP_WEB_ACCEPT_RISK',
      message: `WHATSAPP_WEB_ENABLED=true requires WHATSAPP_WEB_ACCEPT_RISK=${WHATSAPP_WEB_RISK_ACK}: WhatsApp Web (Baileys) is unofficial, against WhatsApp's terms, and the number can be banned`,
    },
  ];
}

type TelegramEnv = Pick<
  Env,
  | 'PUBLIC_URL'
  | 'TELEGRAM_BOT_TOKEN'
  | 'TELEGRAM_MODE'
  | 'TELEGRAM_WEBHOOK_SECRET'
  | 'TELEGRAM_PUBLIC_URL'
  | 'TELEGRAM_API_ROOT'
  | 'TELEGRAM_AGENTS_CHAT_ID'
  | 'TELEGRAM_AGENTS'
>;

/** The Telegram settings when a token is set (validated by `telegramProblems`). */
function telegramConfig(e: TelegramEnv): TelegramConfig | undefined {
  if (!e.TELEGRAM_BOT_TOKEN) return undefined;
  return {
    token: e.TELEGRAM_BOT_TOKEN,
    mode: e.TELEGRAM_MODE,
    webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
    publicUrl: e.TELEGRAM_PUBLIC_URL ?? (e.PUBLIC_URL?.startsWith('https://') ? e.PUBLIC_URL : undefined),
    apiRoot: e.TELEGRAM_API_ROOT,
    ...(e.TELEGRAM_AGENTS_CHAT_ID !== undefined && e.TELEGRAM_AGENTS
      ? { desk: { chatId: e.TELEGRAM_AGENTS_CHAT_ID, agents: e.TELEGRAM_AGENTS } }
      : {}),
  };
}

/** Telegram settings that only make sense together. */
function telegramProblems(e: TelegramEnv): ConfigProblem[] {
  if (!e.TELEGRAM_BOT_TOKEN) {
    return e.TELEGRAM_WEBHOOK_SECRET ||
      e.TELEGRAM_PUBLIC_URL ||
      e.TELEGRAM_AGENTS_CHAT_ID !== undefined ||
      e.TELEGRAM_AGENTS
      ? [{ variable: 'TELEGRAM_BOT_TOKEN', message: 'required when other TELEGRAM_ variables are set' }]
      : [];
  }
  const problems: ConfigProblem[] = [];
  if (e.TELEGRAM_MODE === 'webhook' && !e.TELEGRAM_WEBHOOK_SECRET) {
    problems.push({
      variable: 'TELEGRAM_WEBHOOK_SECRET',
      message:
        'required in webhook mode (the default), so only Telegram can post updates; or set TELEGRAM_MODE=polling for local use',
    });
  }
  if (e.TELEGRAM_AGENTS_CHAT_ID !== undefined && (!e.TELEGRAM_AGENTS || e.TELEGRAM_AGENTS.size === 0)) {
    problems.push({
      variable: 'TELEGRAM_AGENTS',
      message: "required with TELEGRAM_AGENTS_CHAT_ID: who may act in the agents' desk, like 12345:agent1",
    });
  }
  if (e.TELEGRAM_AGENTS && e.TELEGRAM_AGENTS_CHAT_ID === undefined) {
    problems.push({
      variable: 'TELEGRAM_AGENTS_CHAT_ID',
      message: "required with TELEGRAM_AGENTS: the agents' supergroup, like -1001234567890",
    });
  }
  return problems;
}

/**
 * Only the Telegram settings, for `npm run telegram:webhook` (which must not fail on settings only
 * the server needs). Throws `CONFIG_INVALID` listing the bad variables; also when there is no token.
 */
export function loadTelegramConfig(env: NodeJS.ProcessEnv = process.env): TelegramConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema
    .pick({
      PUBLIC_URL: true,
      TELEGRAM_BOT_TOKEN: true,
      TELEGRAM_MODE: true,
      TELEGRAM_WEBHOOK_SECRET: true,
      TELEGRAM_PUBLIC_URL: true,
      TELEGRAM_API_ROOT: true,
      TELEGRAM_AGENTS_CHAT_ID: true,
      TELEGRAM_AGENTS: true,
    })
    .safeParse(cleaned);
  const problems = parsed.success ? telegramProblems(parsed.data) : toProblems(parsed.error);
  if (parsed.success && !parsed.data.TELEGRAM_BOT_TOKEN) {
    problems.push({ variable: 'TELEGRAM_BOT_TOKEN', message: 'required (the token from @BotFather)' });
  }
  if (!parsed.success || problems.length > 0) {
    throw new AppError('CONFIG_INVALID', formatProblems(problems), problems);
  }
  return telegramConfig(parsed.data)!;
}

/**
 * Only what command-line tools that work on the store need (`REDIS_URL`, `CONTENT_DIR`), validated
 * as `loadConfig` does it, so such a tool does not fail on, say, a missing ADMIN_API_TOKEN.
 * Throws `CONFIG_INVALID` listing the bad variables.
 */
export function loadStoreConfig(
  env: NodeJS.ProcessEnv = process.env,
  repoRoot = defaultRepoRoot(),
): { redisUrl?: string; contentDir: string } {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.pick({ REDIS_URL: true, CONTENT_DIR: true }).safeParse(cleaned);
  if (!parsed.success) {
    const problems = toProblems(parsed.error);
    throw new AppError('CONFIG_INVALID', formatProblems(problems), problems);
  }
  return { redisUrl: parsed.data.REDIS_URL, contentDir: path.resolve(repoRoot, parsed.data.CONTENT_DIR ?? '.') };
}

function toProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message }));
}

function formatProblems(problems: ConfigProblem[]): string {
  return ['Invalid configuration:', ...problems.map((p) => `  ${p.variable}: ${p.message}`)].join('\n');
}

/** The repository root: two levels up from `src/config` (and from `dist/config` once built). */
function defaultRepoRoot(): string {
  return path.resolve(__dirname, '..', '..');
}
