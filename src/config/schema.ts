import { z } from 'zod';
import { ROLES, type Role } from '../auth/roles';
import { usernameSchema } from '../auth/user';

/**
 * Every environment variable the app reads, with defaults for the embedded mode. This file and
 * `load-config.ts` are the only places that know about `process.env`; everything else receives
 * a typed `Config`.
 */
const boolFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Meta's Graph API with its version pinned: webhook payloads and send requests are shaped by the
 * version in the URL, so an upgrade is a deliberate change (read Meta's changelog, then bump).
 */
export const WHATSAPP_CLOUD_DEFAULT_API_BASE = 'https://graph.facebook.com/v23.0';

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url({ error: 'expected an absolute http(s) URL' }).optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'expected redis://… or rediss://…' })
    .optional(),
  ALLOW_MEMORY_STORE_IN_PRODUCTION: boolFromEnv.default(false),
  CONTENT_DIR: z.string().min(1).optional(),
  CONTENT_WATCH: boolFromEnv.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_API_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  BODY_LIMIT_KB: z.coerce.number().int().min(1).max(1024).default(64),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(100).max(20_000).default(4000),
  DEMO_PASSWORD: z.string().min(8, { error: 'must be at least 8 characters' }).max(1024).optional(),
  SESSION_TTL_HOURS: z.coerce
    .number({ error: 'expected a number of hours' })
    .positive({ error: 'must be more than 0' })
    .max(24 * 30, { error: 'at most 720 (30 days)' })
    .default(12),
  CUSTOMER_NOTES_ROLES: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== ''),
    )
    .pipe(z.array(z.enum(ROLES, { error: `each role must be one of ${ROLES.join(', ')}` })))
    .default(['admin', 'supervisor', 'agent']),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d{5,}:[A-Za-z0-9_-]{30,}$/, { error: 'expected the token BotFather gave, like 123456789:AAE…' })
    .optional(),
  TELEGRAM_MODE: z.enum(['webhook', 'polling'], { error: 'expected webhook or polling' }).default('webhook'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, { error: '16–256 characters of A–Z a–z 0–9 _ - (what Telegram accepts)' })
    .optional(),
  TELEGRAM_PUBLIC_URL: z
    .url({ error: 'expected an absolute https URL' })
    .refine((u) => u.startsWith('https://'), { error: 'Telegram sends webhooks to https URLs only' })
    .optional(),
  TELEGRAM_API_ROOT: z
    .url({ error: 'expected an absolute http(s) URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .default('https://api.telegram.org'),
  TELEGRAM_AGENTS_CHAT_ID: z.coerce
    .number({ error: "expected the numeric id of the agents' supergroup, like -1001234567890" })
    .int({ error: "expected the numeric id of the agents' supergroup, like -1001234567890" })
    .negative({ error: 'supergroup ids are negative, like -1001234567890' })
    .optional(),
  TELEGRAM_AGENTS: z
    .string()
    .transform((v, ctx) => {
      const agents = new Map<number, string>();
      for (const raw of v
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')) {
        const match = /^(\d{1,20}):(.+)$/.exec(raw);
        const username = match ? usernameSchema.safeParse(match[2]) : undefined;
        if (!match || !username?.success) {
          ctx.addIssue({
            code: 'custom',
            message:
              'expected comma-separated <telegram user id>:<console username> pairs, like 12345:agent1,67890:agent2',
          });
          return z.NEVER;
        }
        agents.set(Number(match[1]), username.data);
      }
      return agents as ReadonlyMap<number, string>;
    })
    .optional(),
  // WhatsApp Cloud API (official): on when the access token is set; then all four are required.
  WHATSAPP_CLOUD_ACCESS_TOKEN: z
    .string()
    .min(20, { error: 'expected the access token Meta gave (a long string)' })
    .optional(),
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,30}$/, { error: 'expected the numeric phone number id from the WhatsApp Manager' })
    .optional(),
  WHATSAPP_CLOUD_APP_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9]{16,128}$/, { error: "expected the Meta app's secret (letters and digits)" })
    .optional(),
  WHATSAPP_CLOUD_VERIFY_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, { error: '16–256 printable characters, no spaces' })
    .optional(),
  WHATSAPP_CLOUD_API_BASE: z
    .url({ error: 'expected an absolute http(s) URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .default(WHATSAPP_CLOUD_DEFAULT_API_BASE),
  WHATSAPP_CLOUD_REENGAGE_TEMPLATE: z
    .string()
    .regex(/^[a-z0-9_]{1,512}$/, { error: 'expected an approved template name (lower case, digits, _)' })
    .optional(),
  WHATSAPP_CLOUD_REENGAGE_TEMPLATE_LANG: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, { error: 'expected a template language code like id or en_US' })
    .default('id'),
  // WhatsApp Web (Baileys, unofficial): off unless enabled AND the ban risk is acknowledged.
  WHATSAPP_WEB_ENABLED: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  WHATSAPP_WEB_ACCEPT_RISK: z.string().optional(),
  WHATSAPP_WEB_SESSION: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, { error: 'expected 1-32 lower-case letters, digits or dashes' })
    .default('main'),
  WHATSAPP_WEB_ALLOW_GROUPS: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('false')
    .transform((v) => v === 'true'),
});

/** The exact value `WHATSAPP_WEB_ACCEPT_RISK` must have before WhatsApp Web may start. */
export const WHATSAPP_WEB_RISK_ACK = 'i-understand-the-ban-risk';

export type Env = z.infer<typeof envSchema>;

/** The typed configuration the composition root hands out. */
export interface Config {
  mode: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl?: string;
  redisUrl?: string;
  allowMemoryStoreInProduction: boolean;
  /** Directory containing `intents/` and `templates/`. */
  contentDir: string;
  /** Watch content files and hot-reload (default: on outside production). */
  contentWatch: boolean;
  logLevel: Env['LOG_LEVEL'];
  /** Bearer token for integrations; a request carrying it acts as role `admin`. */
  adminApiToken?: string;
  bodyLimitKb: number;
  /** Reverse proxies in front whose `X-Forwarded-For` is believed (0: none). */
  trustProxy: number;
  /** Longer customer messages are rejected with 413 before any processing. */
  maxMessageChars: number;
  /** Password of the demo console users (embedded default only); random when unset. */
  demoPassword?: string;
  /** Idle lifetime of a console session (sliding: each use extends it). */
  sessionTtlMs: number;
  /** Session cookies get `Secure` (PUBLIC_URL is https). */
  secureCookies: boolean;
  /** Roles that may read and write customer notes (they also need the `customers:notes` permission). */
  customerNotesRoles: Role[];
  /** The Telegram customer channel; absent (off) without `TELEGRAM_BOT_TOKEN`. */
  telegram?: TelegramConfig;
  /** The WhatsApp Cloud API channel; absent (off) without `WHATSAPP_CLOUD_ACCESS_TOKEN`. */
  whatsappCloud?: WhatsAppCloudConfig;
  /** WhatsApp Web (Baileys, unofficial); absent (off) unless enabled with the risk acknowledged. */
  whatsappWeb?: { session: string; allowGroups: boolean };
}

/**
 * The WhatsApp Cloud API channel's settings. The access token and the app secret are secrets:
 * never log them or put them in an error.
 */
export interface WhatsAppCloudConfig {
  accessToken: string;
  phoneNumberId: string;
  /** Signs every webhook POST (`X-Hub-Signature-256`). */
  appSecret: string;
  /** What the webhook's GET handshake must present (`hub.verify_token`). */
  verifyToken: string;
  /** The Graph API with its version, no trailing slash. */
  apiBase: string;
  /**
   * An approved message template for replies after the 24-hour customer-service window closed;
   * absent: such replies are refused with `WHATSAPP_WINDOW_CLOSED`.
   */
  reengageTemplate?: { name: string; language: string };
}

/** The Telegram channel's settings. The token is a secret: never log it or put it in an error. */
export interface TelegramConfig {
  token: string;
  mode: 'webhook' | 'polling';
  /** Required in webhook mode: Telegram echoes it in `X-Telegram-Bot-Api-Secret-Token`. */
  webhookSecret?: string;
  /** Where Telegram reaches the app (https); the webhook is `<publicUrl>/channels/telegram/webhook`. */
  publicUrl?: string;
  /** The Bot API's root (`https://api.telegram.org`), no trailing slash. */
  apiRoot: string;
  /** The agents' desk in a forum supergroup; absent (off) without `TELEGRAM_AGENTS_CHAT_ID`. */
  desk?: TelegramDeskConfig;
}

/** The agents' desk: a supergroup with topics where each handoff gets a topic. */
export interface TelegramDeskConfig {
  /** The supergroup's chat id (negative, `-100…`). */
  chatId: number;
  /**
   * Telegram user id → console username. Only these people may act in the topics, as that
   * console user (role, teams and display name are read from the user store at each action).
   */
  agents: ReadonlyMap<number, string>;
}

/** Human documentation of each variable, printed by the README table and `--help`. */
export const ENV_DOCS: Record<keyof Env, string> = {
  NODE_ENV:
    '`development` (default), `production` or `test`. Production refuses the memory store and requires ADMIN_API_TOKEN.',
  HOST: 'Interface to listen on (default `127.0.0.1`; use `0.0.0.0` in containers).',
  PORT: 'HTTP port (default `3000`; `0` picks a free port).',
  PUBLIC_URL: 'The URL customers and agents reach the app at, printed at start (default `http://HOST:PORT`).',
  REDIS_URL:
    'Redis connection URL. Set: Redis is the store of record. Unset: in-memory stores (one process, lost on restart).',
  ALLOW_MEMORY_STORE_IN_PRODUCTION:
    'Set `true` to run production mode without Redis anyway (single instance, data lost on restart).',
  CONTENT_DIR: 'Directory holding `intents/` and `templates/` (default: the repository root).',
  CONTENT_WATCH: 'Hot-reload content on file change (default `true`, except in production).',
  LOG_LEVEL: 'pino level: `fatal` `error` `warn` `info` (default) `debug` `trace` `silent`.',
  ADMIN_API_TOKEN:
    'Bearer token for integrations: a request with it counts as role `admin` (no cookie, so no CSRF token). Required in production; at least 16 characters.',
  BODY_LIMIT_KB: 'Largest accepted request body in KiB (default `64`).',
  TRUST_PROXY:
    'How many reverse proxies / load balancers sit in front of the app (default `0`). Their `X-Forwarded-For` gives the client address (login limits per IP); with `0` it is ignored, so a client cannot forge it. Set `1` behind one load balancer.',
  MAX_MESSAGE_CHARS: 'Longest accepted customer message in characters (default `4000`).',
  DEMO_PASSWORD:
    'Password of the demo console users `admin`, `supervisor`, `agent1`, `agent2`, `editor`, created only in the embedded default (memory store, not production). Unset: a random one is printed at start. At least 8 characters.',
  SESSION_TTL_HOURS: 'Console session lifetime in hours since last use (default `12`; each request extends it).',
  CUSTOMER_NOTES_ROLES:
    'Comma-separated roles that see and edit customer notes (light CRM) in the console (default `admin,supervisor,agent`; a role also needs the `customers:notes` permission, which `content_editor` lacks).',
  WHATSAPP_CLOUD_ACCESS_TOKEN:
    'WhatsApp Cloud API (official): a permanent access token of a system user with `whatsapp_business_messaging`. Unset: the channel is off. Set: the other WHATSAPP_CLOUD_* secrets are required. A secret: never logged.',
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: 'The phone number id (WhatsApp Manager → API setup), not the phone number itself.',
  WHATSAPP_CLOUD_APP_SECRET:
    "The Meta app's secret (App settings → Basic): every webhook POST must carry its HMAC-SHA256 in `X-Hub-Signature-256`. A secret.",
  WHATSAPP_CLOUD_VERIFY_TOKEN:
    "A string you choose and enter in the app's webhook settings; the GET handshake must present it. 16–256 characters.",
  WHATSAPP_CLOUD_API_BASE: `The Graph API with its version (default \`${WHATSAPP_CLOUD_DEFAULT_API_BASE}\`); tests point it at a local fake.`,
  WHATSAPP_CLOUD_REENGAGE_TEMPLATE:
    "An approved template (utility category) sent instead of an agent reply or the CSAT question once the 24-hour window since the customer's last message has closed. It gets one body parameter: the agent's text, or the question. Unset: such replies are refused and the agent is told.",
  WHATSAPP_CLOUD_REENGAGE_TEMPLATE_LANG: 'The language code the template was approved in (default `id`).',
  WHATSAPP_WEB_ENABLED:
    'WhatsApp Web through Baileys (unofficial; the number can be banned). `true` also needs WHATSAPP_WEB_ACCEPT_RISK. Default `false`.',
  WHATSAPP_WEB_ACCEPT_RISK:
    "Must be exactly `i-understand-the-ban-risk` for WHATSAPP_WEB_ENABLED=true: WhatsApp Web automation is against WhatsApp's terms and numbers get banned.",
  WHATSAPP_WEB_SESSION:
    'Name of the WhatsApp Web login (one per business number; default `main`). Its login state lives in the store (Redis in production).',
  WHATSAPP_WEB_ALLOW_GROUPS: 'Answer in WhatsApp groups too (default `false`: groups are ignored).',
  TELEGRAM_BOT_TOKEN: 'The bot token from @BotFather. Unset: the Telegram channel is off. A secret: never logged.',
  TELEGRAM_MODE:
    '`webhook` (default; production, any number of instances) or `polling` (local use, one instance; starting it deletes the webhook).',
  TELEGRAM_WEBHOOK_SECRET:
    'Required in webhook mode: 16–256 characters of `A-Z a-z 0-9 _ -`. Telegram sends it in `X-Telegram-Bot-Api-Secret-Token`; other requests get 401.',
  TELEGRAM_PUBLIC_URL:
    'The https URL Telegram reaches the app at (default PUBLIC_URL when https); `npm run telegram:webhook -- set` registers `<url>/channels/telegram/webhook`.',
  TELEGRAM_API_ROOT:
    'The Bot API root (default `https://api.telegram.org`); tests and benchmarks point it at a local fake.',
  TELEGRAM_AGENTS_CHAT_ID:
    "The agents' desk (optional): id of a supergroup with topics where the bot is an admin allowed to manage topics, like `-1001234567890`. Each handoff gets a topic there. Unset: no desk. Needs TELEGRAM_BOT_TOKEN and TELEGRAM_AGENTS.",
  TELEGRAM_AGENTS:
    "Who may act in the agents' desk: `<telegram user id>:<console username>` pairs, comma-separated (`12345:agent1,67890:agent2`). Each acts as that console user (role, teams, name); anyone else is refused politely.",
};
