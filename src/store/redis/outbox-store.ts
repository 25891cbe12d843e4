import { AppError } from '../../domain/errors';
import { OUTBOX_DEFAULTS, outboxPageSize, parseOutboxCursor, START_CURSOR, type OutboxOptions } from '../outbox-cursor';
import type { NewOutboxMessage, OutboxMessage, OutboxStore } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * One Redis stream per recipient (`outbox:<channel>:<recipient>`). The stream id is the cursor:
 * Redis makes it from its own clock and keeps it growing, so two instances appending at once
 * still get distinct, ordered cursors, and a stream created again after it expired continues
 * after the old ids. Appending, trimming to `maxLength` and refreshing the TTL are one script
 * (`OUTBOX_APPEND`); reading is `XRANGE (after + COUNT limit`.
 */
export class RedisOutboxStore implements OutboxStore {
  private readonly maxLength: number;
  private readonly ttlMs: number;

  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
    options: OutboxOptions = {},
  ) {
    this.maxLength = Math.max(1, Math.floor(options.maxLength ?? OUTBOX_DEFAULTS.maxLength));
    this.ttlMs = Math.max(1, Math.ceil(options.ttlMs ?? OUTBOX_DEFAULTS.ttlMs));
  }

  async append(channel: string, recipient: string, message: NewOutboxMessage): Promise<string> {
    return guard(
      this.client.mjOutboxAppend(
        this.keys.outbox(channel, recipient),
        this.maxLength,
        this.ttlMs,
        JSON.stringify(message),
      ),
    );
  }

  async read(
    channel: string,
    recipient: string,
    after?: string,
    limit?: number,
  ): Promise<{ messages: OutboxMessage[]; cursor: string }> {
    const start = after ?? START_CURSOR;
    parseOutboxCursor(start);
    const entries = (await guard(
      this.client.xrange(
        this.keys.outbox(channel, recipient),
        start === START_CURSOR ? '-' : `(${start}`,
        '+',
        'COUNT',
        outboxPageSize(limit),
      ),
    )) as [string, string[]][];
    const messages = entries.map(([cursor, fields]) => {
      const json = fields[fields.indexOf('m') + 1];
      if (json === undefined) throw new AppError('INTERNAL', 'Malformed outbox entry');
      return { ...(JSON.parse(json) as NewOutboxMessage), cursor };
    });
    return { messages, cursor: messages.at(-1)?.cursor ?? start };
  }
}
