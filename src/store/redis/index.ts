import Redis from 'ioredis';
import { systemClock, type Clock } from '../../domain/clock';
import { AppError } from '../../domain/errors';
import type { Stores } from '../types';
import { RedisAuditLog } from './audit-log';
import { RedisConversationStore } from './conversation-store';
import { RedisCustomerNoteStore } from './customer-note-store';
import { RedisDedupStore } from './dedup-store';
import { RedisDeskTopicStore } from './desk-topic-store';
import { RedisEventBus } from './event-bus';
import { createKeys, DEFAULT_KEY_PREFIX, type RedisKeys } from './keys';
import type { OutboxOptions } from '../outbox-cursor';
import { RedisOrderedLock } from './ordered-lock';
import { RedisOutboxStore } from './outbox-store';
import { RedisPresenceStore } from './presence-store';
import { RedisRateLimiter } from './rate-limiter';
import { RedisReceiptStore } from './receipt-store';
import { defineScripts, type ScriptedRedis } from './scripts';
import { RedisSessionStore } from './session-store';
import { RedisTicketStore } from './ticket-store';
import { RedisUserStore } from './user-store';
import { RedisLeaseStore, RedisTakeoverIndex, RedisWhatsAppAuthStore, RedisWhatsAppWebBoard } from './whatsapp-web';

export interface RedisStoreOptions {
  /** `redis://[:password@]host:port[/db]` (or `rediss://` for TLS). Never logged. */
  url: string;
  /** Prepended to every key; default `mj:`. Must not contain `{` or `}`. */
  prefix?: string;
  /**
   * Stamps `updatedAt` on tickets and users, `createdAt`/`expiresAt` on sessions. Dedup, lock,
   * session and rate-limit expiry use Redis's own clock.
   */
  clock?: Clock;
  /** Upper bound for any single command, offline queueing included; default 3000 ms. */
  commandTimeoutMs?: number;
  /** Outbox length and expiry (defaults: `OUTBOX_DEFAULTS`). */
  outbox?: OutboxOptions;
}

/** The Redis stores, plus the client and key builder for diagnostics and tests. */
export interface RedisStores extends Stores {
  kind: 'redis';
  /** The underlying connection. Read-only use: every state change must go through a script. */
  client: ScriptedRedis;
  keys: RedisKeys;
}

/** `ping()` gives up after this long, so a health check never hangs on a dead Redis. */
export const PING_TIMEOUT_MS = 1_000;
const QUIT_TIMEOUT_MS = 1_000;

/**
 * Production stores: Redis is the store of record, shared by every instance. Connects at once and
 * reconnects by itself (ioredis' default exponential backoff). While Redis is down, a command is
 * queued and sent after the reconnect, or fails with `STORE_UNAVAILABLE` after 3 reconnect attempts
 * or `commandTimeoutMs`, whichever comes first; nothing waits forever. Note that a command that
 * failed this way may still have run (it was in flight, or sent after a late reconnect).
 *
 * ```ts
 * const stores = createRedisStores({ url: 'redis://127.0.0.1:6379' });
 * await stores.ping(); // rejects with STORE_UNAVAILABLE if Redis does not answer within 1 s
 * ```
 */
export function createRedisStores(options: RedisStoreOptions): RedisStores {
  const keys = createKeys(options.prefix ?? DEFAULT_KEY_PREFIX);
  const clock = options.clock ?? systemClock;
  const client = defineScripts(
    new Redis(options.url, {
      maxRetriesPerRequest: 3,
      commandTimeout: options.commandTimeoutMs ?? 3_000,
      // Short, so a disconnect while reconnecting does not keep the process (or Jest) alive.
      disconnectTimeout: 200,
      connectionName: 'majujaya-cs-bot',
    }),
  );
  // Without a listener ioredis prints every connection error; callers see failures as
  // STORE_UNAVAILABLE on their commands and on `ping()` (/readyz), which is where they belong.
  client.on('error', () => undefined);
  const events = new RedisEventBus(client, keys);
  const lock = new RedisOrderedLock(client, keys);

  return {
    kind: 'redis',
    client,
    keys,
    conversations: new RedisConversationStore(client, keys, lock),
    tickets: new RedisTicketStore(client, keys, clock),
    presence: new RedisPresenceStore(client, keys),
    outbox: new RedisOutboxStore(client, keys, options.outbox),
    dedup: new RedisDedupStore(client, keys),
    lock,
    users: new RedisUserStore(client, keys, clock),
    sessions: new RedisSessionStore(client, keys, clock),
    rateLimiter: new RedisRateLimiter(client, keys),
    customerNotes: new RedisCustomerNoteStore(client, keys),
    deskTopics: new RedisDeskTopicStore(client, keys),
    audit: new RedisAuditLog(client, keys),
    events,
    whatsappAuth: new RedisWhatsAppAuthStore(client, keys),
    leases: new RedisLeaseStore(client, keys),
    takeovers: new RedisTakeoverIndex(client, keys),
    whatsappBoard: new RedisWhatsAppWebBoard(client, keys),
    receipts: new RedisReceiptStore(client, keys),
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no PONG within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([client.ping(), timeout]);
      } catch (err) {
        throw new AppError('STORE_UNAVAILABLE', undefined, undefined, { cause: err });
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await events.close();
      if (client.status === 'end') return;
      if (client.status === 'ready') {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          client.quit().catch(() => undefined),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS))),
        ]);
        clearTimeout(timer);
      }
      // `quit()` may have ended the connection meanwhile (the type narrowing above cannot know).
      if ((client.status as string) !== 'end') client.disconnect();
    },
  };
}
