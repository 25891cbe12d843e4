import type { DeliveryReceipt, DeliveryReceiptStore, DeliveryState } from '../types';
import { DELIVERY_RANK } from '../delivery-state';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * Moves one receipt forward, the rule of `advanceDelivery` in Lua.
 * KEYS[1] the receipt hash {conv, state, rank, at}
 * ARGV[1] conversation id; ARGV[2] state; ARGV[3] its rank (`DELIVERY_RANK`); ARGV[4] at (ms);
 * ARGV[5] TTL ms; ARGV[6] the rank of `failed` (final)
 * Returns {conv, state, at, advanced (1 or 0)} as stored afterwards; the TTL restarts either way.
 */
export const RECEIPT_ADVANCE = `
local current = tonumber(redis.call('HGET', KEYS[1], 'rank') or '0')
local next = tonumber(ARGV[3])
local final = tonumber(ARGV[6])
local advanced = 0
if current == 0 or (current ~= final and (next == final or next > current)) then
  redis.call('HSET', KEYS[1], 'conv', ARGV[1], 'state', ARGV[2], 'rank', next, 'at', ARGV[4])
  advanced = 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
local stored = redis.call('HMGET', KEYS[1], 'conv', 'state', 'at')
stored[4] = advanced
return stored
`;

interface ReceiptCommands {
  mjReceiptAdvance(
    key: string,
    conversationId: string,
    state: string,
    rank: number,
    at: number,
    ttlMs: number,
    finalRank: number,
  ): Promise<[string, string, string, number]>;
}
type ReceiptRedis = ScriptedRedis & ReceiptCommands;

/**
 * Delivery receipts in Redis: one hash per outbound message (moved forward only by
 * `RECEIPT_ADVANCE`, so two instances receiving the same status events agree), plus a string per
 * conversation naming its latest message. The pointer is a separate command on purpose: it lives
 * in another hash slot, and a stale pointer only shows an older receipt.
 */
export class RedisReceiptStore implements DeliveryReceiptStore {
  private readonly client: ReceiptRedis;

  constructor(
    client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {
    const c = client as ReceiptRedis;
    if (typeof (c as Partial<ReceiptCommands>).mjReceiptAdvance !== 'function') {
      client.defineCommand('mjReceiptAdvance', { numberOfKeys: 1, lua: RECEIPT_ADVANCE });
    }
    this.client = c;
  }

  /**
   * Moves the receipt (one script), then points the conversation at it: always for our own send
   * (it is the newest message), and for a status event only when there is no pointer yet (the
   * event overtook our own `sent` record).
   */
  private async write(
    messageId: string,
    conversationId: string,
    state: DeliveryState,
    at: number,
    ttlMs: number,
    pointer: 'always' | 'if-none',
  ): Promise<{ receipt: DeliveryReceipt; advanced: boolean }> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const [conv, stored, storedAt, advanced] = await guard(
      this.client.mjReceiptAdvance(
        this.keys.receipt(messageId),
        conversationId,
        state,
        DELIVERY_RANK[state],
        at,
        ttl,
        DELIVERY_RANK.failed,
      ),
    );
    const latestKey = this.keys.receiptLatest(conversationId);
    await guard(
      pointer === 'always'
        ? this.client.set(latestKey, messageId, 'PX', ttl)
        : this.client.set(latestKey, messageId, 'PX', ttl, 'NX'),
    );
    return {
      receipt: { messageId, conversationId: conv, state: stored as DeliveryState, at: Number(storedAt) },
      advanced: advanced === 1,
    };
  }

  async sent(messageId: string, conversationId: string, at: number, ttlMs: number): Promise<void> {
    await this.write(messageId, conversationId, 'sent', at, ttlMs, 'always');
  }

  async update(
    messageId: string,
    conversationId: string,
    state: DeliveryState,
    at: number,
    ttlMs: number,
  ): Promise<{ receipt: DeliveryReceipt; advanced: boolean }> {
    return this.write(messageId, conversationId, state, at, ttlMs, 'if-none');
  }

  async latest(conversationId: string): Promise<DeliveryReceipt | null> {
    const messageId = await guard(this.client.get(this.keys.receiptLatest(conversationId)));
    if (!messageId) return null;
    const [conv, state, at] = await guard(this.client.hmget(this.keys.receipt(messageId), 'conv', 'state', 'at'));
    if (!conv || !state || !at) return null;
    return { messageId, conversationId: conv, state: state as DeliveryState, at: Number(at) };
  }
}
