import { fromBufferJson, toBufferJson } from '../buffer-json';
import type {
  HumanTakeover,
  LeaseStore,
  TakeoverIndex,
  WhatsAppAuthStore,
  WhatsAppWebBoard,
  WhatsAppWebRequest,
} from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * Writes one batch of WhatsApp Web keys (Baileys' `keys.set`) atomically.
 * KEYS[1] the session's category set; KEYS[2..n] one hash per category in the batch
 *         (all share the `{wa:<session>}` hash tag)
 * ARGV    for each category hash, in KEYS order: its category name, then a count c, then c
 *         triples (op, id, value) with op 'S' (HSET id value) or 'D' (HDEL id; value is '')
 * Returns the number of fields written or deleted.
 */
export const WA_KEYS_SET = `
local i = 1
local changed = 0
for k = 2, #KEYS do
  local category = ARGV[i]
  local count = tonumber(ARGV[i + 1])
  i = i + 2
  redis.call('SADD', KEYS[1], category)
  for n = 1, count do
    local op, id, value = ARGV[i], ARGV[i + 1], ARGV[i + 2]
    i = i + 3
    if op == 'S' then redis.call('HSET', KEYS[k], id, value) else redis.call('HDEL', KEYS[k], id) end
    changed = changed + 1
  end
end
return changed
`;

/**
 * Forgets a WhatsApp Web session.
 * KEYS[1] the creds string; KEYS[2] the category set
 * ARGV[1] the key-name prefix of the session's category hashes (`keys.waKeys(session, '')`)
 * Returns the number of categories deleted. The hash names are rebuilt from the set's members
 * exactly as `keys.waKeys` builds them (category names are escaped the same way), so they stay
 * in the `{wa:<session>}` slot.
 */
export const WA_CLEAR = `
local function esc(s) return (string.gsub(s, '[%%{}]', function(c) return string.format('%%%02X', string.byte(c)) end)) end
local categories = redis.call('SMEMBERS', KEYS[2])
for _, category in ipairs(categories) do redis.call('DEL', ARGV[1] .. esc(category)) end
redis.call('DEL', KEYS[1], KEYS[2])
return #categories
`;

/**
 * Takes a lease, or restarts its TTL when the owner already holds it.
 * KEYS[1] the lease string; ARGV[1] owner token; ARGV[2] TTL ms
 * Returns 1 when `owner` holds the lease afterwards, 0 when someone else does.
 */
export const LEASE_ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if current then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
return 1
`;

/**
 * Renews a lease only while still its owner.
 * KEYS[1] the lease string; ARGV[1] owner token; ARGV[2] TTL ms
 * Returns 1 when renewed, 0 when the lease expired or belongs to someone else.
 */
export const LEASE_RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * Releases a lease only when it is the caller's.
 * KEYS[1] the lease string; ARGV[1] owner token
 * Returns 1 when released, 0 otherwise (never deletes another owner's lease).
 */
export const LEASE_RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

interface WaCommands {
  mjWaKeysSet(...keysAndArgs: (string | number)[]): Promise<number>;
  mjWaClear(credsKey: string, categoriesKey: string, hashPrefix: string): Promise<number>;
  mjLeaseAcquire(key: string, owner: string, ttlMs: number): Promise<number>;
  mjLeaseRenew(key: string, owner: string, ttlMs: number): Promise<number>;
  mjLeaseRelease(key: string, owner: string): Promise<number>;
}
type WaRedis = ScriptedRedis & WaCommands;

/** Registers this file's scripts (idempotent) on the shared client. */
function withWaScripts(client: ScriptedRedis): WaRedis {
  const c = client as WaRedis;
  if (typeof (c as Partial<WaCommands>).mjLeaseAcquire !== 'function') {
    client.defineCommand('mjWaClear', { numberOfKeys: 2, lua: WA_CLEAR });
    client.defineCommand('mjLeaseAcquire', { numberOfKeys: 1, lua: LEASE_ACQUIRE });
    client.defineCommand('mjLeaseRenew', { numberOfKeys: 1, lua: LEASE_RENEW });
    client.defineCommand('mjLeaseRelease', { numberOfKeys: 1, lua: LEASE_RELEASE });
    // Variable key count: ioredis takes it as the first argument when numberOfKeys is omitted.
    client.defineCommand('mjWaKeysSet', { lua: WA_KEYS_SET });
  }
  return c;
}

/**
 * WhatsApp Web login state in Redis: creds in one string, each key category in one hash (field =
 * id), all under the session's `{wa:<session>}` hash tag; a set records which categories exist so
 * `clear` needs no KEYS/SCAN. A `keys.set` batch is one script, so it lands whole or not at all
 * (Baileys loses messages when key writes are lost; run Redis with AOF persistence).
 */
export class RedisWhatsAppAuthStore implements WhatsAppAuthStore {
  private readonly client: WaRedis;

  constructor(
    client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {
    this.client = withWaScripts(client);
  }

  async getCreds(session: string): Promise<unknown | null> {
    const json = await guard(this.client.get(this.keys.waCreds(session)));
    return json === null ? null : fromBufferJson(json);
  }

  async setCreds(session: string, creds: unknown): Promise<void> {
    await guard(this.client.set(this.keys.waCreds(session), toBufferJson(creds)));
  }

  async getKeys(session: string, category: string, ids: readonly string[]): Promise<Record<string, unknown>> {
    if (ids.length === 0) return {};
    const values = await guard(this.client.hmget(this.keys.waKeys(session, category), ...ids));
    const out: Record<string, unknown> = {};
    ids.forEach((id, i) => {
      const json = values[i];
      if (json !== null && json !== undefined) out[id] = fromBufferJson(json);
    });
    return out;
  }

  async setKeys(session: string, data: Record<string, Record<string, unknown>>): Promise<void> {
    const keyNames: string[] = [this.keys.waCategories(session)];
    const args: string[] = [];
    for (const [category, entries] of Object.entries(data)) {
      const ops = Object.entries(entries);
      if (ops.length === 0) continue;
      keyNames.push(this.keys.waKeys(session, category));
      args.push(category, String(ops.length));
      for (const [id, value] of ops) {
        if (value === null || value === undefined) args.push('D', id, '');
        else args.push('S', id, toBufferJson(value));
      }
    }
    if (keyNames.length === 1) return;
    await guard(this.client.mjWaKeysSet(keyNames.length, ...keyNames, ...args));
  }

  async clear(session: string): Promise<void> {
    await guard(
      this.client.mjWaClear(this.keys.waCreds(session), this.keys.waCategories(session), this.keys.waKeys(session, '')),
    );
  }
}

/** Leases in Redis (`SET NX PX`, renew and release only by the owner, each one script). */
export class RedisLeaseStore implements LeaseStore {
  private readonly client: WaRedis;

  constructor(
    client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {
    this.client = withWaScripts(client);
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await guard(this.client.mjLeaseAcquire(this.keys.lease(name), owner, Math.max(1, Math.ceil(ttlMs))))) === 1;
  }

  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await guard(this.client.mjLeaseRenew(this.keys.lease(name), owner, Math.max(1, Math.ceil(ttlMs))))) === 1;
  }

  async release(name: string, owner: string): Promise<boolean> {
    return (await guard(this.client.mjLeaseRelease(this.keys.lease(name), owner))) === 1;
  }

  async holder(name: string): Promise<string | null> {
    return guard(this.client.get(this.keys.lease(name)));
  }
}

/** The takeover index: one hash (HSETNX / HDEL are single commands, atomic on their own). */
export class RedisTakeoverIndex implements TakeoverIndex {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async add(takeover: HumanTakeover): Promise<void> {
    await guard(this.client.hsetnx(this.keys.takeovers(), takeover.conversationId, String(takeover.since)));
  }

  async remove(conversationId: string): Promise<void> {
    await guard(this.client.hdel(this.keys.takeovers(), conversationId));
  }

  async list(): Promise<HumanTakeover[]> {
    const all = await guard(this.client.hgetall(this.keys.takeovers()));
    return Object.entries(all)
      .map(([conversationId, since]) => ({ conversationId, since: Number(since) }))
      .sort((a, b) => a.since - b.since || a.conversationId.localeCompare(b.conversationId));
  }
}

/**
 * The WhatsApp Web board in Redis: the status is a string with a TTL (`SET PX`); requests are a
 * list taken whole in one `MULTI` (`LRANGE` + `DEL`), so two instances never both take one.
 */
export class RedisWhatsAppWebBoard implements WhatsAppWebBoard {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async setStatus(session: string, status: unknown, ttlMs: number): Promise<void> {
    await guard(
      this.client.set(this.keys.waStatus(session), JSON.stringify(status), 'PX', Math.max(1, Math.ceil(ttlMs))),
    );
  }

  async getStatus(session: string): Promise<unknown | null> {
    const json = await guard(this.client.get(this.keys.waStatus(session)));
    return json === null ? null : (JSON.parse(json) as unknown);
  }

  async request(session: string, request: WhatsAppWebRequest): Promise<void> {
    await guard(this.client.rpush(this.keys.waRequests(session), JSON.stringify(request)));
  }

  async takeRequests(session: string): Promise<WhatsAppWebRequest[]> {
    const key = this.keys.waRequests(session);
    const result = await guard(this.client.multi().lrange(key, 0, -1).del(key).exec());
    const items = (result?.[0]?.[1] as string[] | undefined) ?? [];
    return items.map((json) => JSON.parse(json) as WhatsAppWebRequest);
  }
}
