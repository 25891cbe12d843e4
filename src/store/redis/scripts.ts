import type Redis from 'ioredis';

/**
 * The Lua scripts behind every atomic state change. Each runs as one step inside Redis (no other
 * command interleaves), so "read, compare, write" can never be split by another instance.
 * They are registered with `defineCommand` (EVALSHA with an automatic EVAL fallback, also after a
 * Redis restart empties the script cache). Key names always come from `keys.ts`.
 */

/** Raises the waiting list's TTL to at least ARGV-given ms (never lowers it). Shared by the lock scripts. */
const KEEP_QUEUE_ALIVE = `
local function keepQueueAlive(queue, ttl)
  local current = redis.call('PTTL', queue)
  if current ~= -2 and current < tonumber(ttl) then redis.call('PEXPIRE', queue, ttl) end
end
`;

/**
 * Conversation compare-and-set.
 * KEYS[1] conversation hash {v, json}
 * ARGV[1] the version the caller read (0 = not stored yet)
 * ARGV[2] the conversation JSON as it will be stored (its `version` is ARGV[1] + 1)
 * Returns 1 when saved, 0 when the stored version differs (someone else saved in between).
 */
export const CONVERSATION_SAVE = `
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', current + 1, 'json', ARGV[2])
return 1
`;

/**
 * Ticket create: number, ticket, messages and queue entries in one step, so a crash can never
 * leave a numbered ticket outside the queue.
 * KEYS[1] number counter   KEYS[2] ticket hash   KEYS[3] messages list
 * KEYS[4] queue (all teams) KEYS[5] the team's queue
 * ARGV[1] number prefix (e.g. MJ)   ARGV[2] ticket id   ARGV[3] ticket JSON without messages/number/status
 * ARGV[4] updatedAt (epoch ms)      ARGV[5] priority (the queue score)
 * ARGV[6] queue member prefix `<slaDeadline>:<createdAt>:` (16-digit zero-padded each)
 * ARGV[7..n] the initial messages, one JSON turn each, oldest first
 * Returns the ticket number, e.g. `MJ-000042` (six digits, more once the counter needs them).
 *
 * Queue order: the score is the priority (lower first). Equal scores sort by member, byte-wise, and
 * the member is `<deadline>:<createdAt>:<seq>:<id>` zero-padded, so ties fall to the SLA deadline,
 * then arrival, then creation order. Integers as scores stay exact (no packing of three numbers
 * into one double).
 */
export const TICKET_CREATE = `
local seq = redis.call('INCR', KEYS[1])
local digits = tostring(seq)
local number = ARGV[1] .. '-' .. string.rep('0', 6 - #digits) .. digits
local member = ARGV[6] .. string.rep('0', 12 - #digits) .. digits .. ':' .. ARGV[2]
redis.call('HSET', KEYS[2], 'data', ARGV[3], 'number', number, 'status', 'new', 'updatedAt', ARGV[4], 'queueMember', member)
for i = 7, #ARGV do
  redis.call('RPUSH', KEYS[3], ARGV[i])
end
redis.call('ZADD', KEYS[4], ARGV[5], member)
redis.call('ZADD', KEYS[5], ARGV[5], member)
return number
`;

/**
 * Append a turn to an existing ticket.
 * KEYS[1] ticket hash   KEYS[2] messages list
 * ARGV[1] turn JSON     ARGV[2] updatedAt (epoch ms)
 * Returns the new message count, or 0 when the ticket does not exist (nothing is written).
 */
export const TICKET_APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[2])
return redis.call('RPUSH', KEYS[2], ARGV[1])
`;

/**
 * FIFO lock, take a place in line / try to take the lock.
 * KEYS[1] waiting list (head = holder)   KEYS[2] lease (holds the head's token, expires)
 * ARGV[1] the caller's token   ARGV[2] lease ms   ARGV[3] waiting-list TTL ms
 * ARGV[4] '1' on the first call (append the token); on later polls the token is appended again
 *         only if it vanished (it was removed as dead after missing its turn)
 * Returns 1 when the caller holds the lock (its lease is set), 0 to keep waiting.
 *
 * The head always owns a lease: it was handed one on release, or took it here. A lease that is
 * gone while its head is still listed means the head died (holder crashed, or a waiter vanished
 * just as its turn came): the dead head is removed and the next in line gets a fresh lease.
 */
export const LOCK_ACQUIRE = `${KEEP_QUEUE_ALIVE}
local queue, lease, token, leaseMs = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
if ARGV[4] == '1' or not redis.call('LPOS', queue, token) then
  redis.call('RPUSH', queue, token)
end
keepQueueAlive(queue, ARGV[3])
local head = redis.call('LINDEX', queue, 0)
if head == token then
  redis.call('SET', lease, token, 'PX', leaseMs)
  return 1
end
local holder = redis.call('GET', lease)
if holder == head then return 0 end
if holder then
  redis.call('SET', lease, head, 'PX', leaseMs)
  return 0
end
redis.call('LPOP', queue)
local nextHead = redis.call('LINDEX', queue, 0)
redis.call('SET', lease, nextHead, 'PX', leaseMs)
if nextHead == token then return 1 end
return 0
`;

/**
 * FIFO lock, extend the holder's lease while its work runs.
 * KEYS[1] waiting list   KEYS[2] lease
 * ARGV[1] the holder's token   ARGV[2] lease ms   ARGV[3] waiting-list TTL ms
 * Returns 1 when renewed, 0 when the lease is no longer this token's (it expired and was taken).
 */
export const LOCK_RENEW = `${KEEP_QUEUE_ALIVE}
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
keepQueueAlive(KEYS[1], ARGV[3])
return 1
`;

/**
 * FIFO lock, leave the line: release after the work, or withdraw after a wait timeout.
 * KEYS[1] waiting list   KEYS[2] lease
 * ARGV[1] the caller's token   ARGV[2] lease ms handed to the next head
 * Returns 1 when the caller was the head (the lock passes to the next token, with a fresh lease),
 * 0 when it only removed a waiting token (or the token was already gone).
 */
export const LOCK_RELEASE = `
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then
  redis.call('LREM', KEYS[1], 1, ARGV[1])
  return 0
end
redis.call('LPOP', KEYS[1])
local nextHead = redis.call('LINDEX', KEYS[1], 0)
if nextHead then
  redis.call('SET', KEYS[2], nextHead, 'PX', ARGV[2])
else
  redis.call('DEL', KEYS[2])
end
return 1
`;

/**
 * Create a console user, only if the username is free.
 * KEYS[1] user hash {v, json}   KEYS[2] username index (set)
 * ARGV[1] username   ARGV[2] the user JSON
 * Returns 1 when created, 0 when the username is taken (nothing is written).
 */
export const USER_CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', 1, 'json', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
`;

/**
 * Console user compare-and-set (the caller read, patched and validated the user in between).
 * KEYS[1] user hash {v, json}
 * ARGV[1] the version the caller read   ARGV[2] the new user JSON
 * Returns 1 when saved, 0 when the version changed meanwhile (read again and retry), -1 when the
 * user does not exist.
 */
export const USER_SAVE = `
local current = redis.call('HGET', KEYS[1], 'v')
if not current then return -1 end
if tonumber(current) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', tonumber(current) + 1, 'json', ARGV[2])
return 1
`;

/**
 * Create a login session and list it under its user.
 * KEYS[1] session hash   KEYS[2] the user's session set
 * ARGV[1] username   ARGV[2] CSRF token   ARGV[3] createdAt (epoch ms)   ARGV[4] expiresAt (epoch ms)
 * ARGV[5] TTL ms
 * Returns 1 when created, 0 when the session key already exists (a 256-bit id collision: the
 * caller draws a new id).
 *
 * The set's members are session key names (built by keys.ts, same `{sessions}` slot). The set has
 * no TTL (one small set per user who ever logged in); members whose session has expired are pruned
 * here, so it stays as small as that user's live sessions.
 */
export const SESSION_CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for _, member in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('EXISTS', member) == 0 then redis.call('SREM', KEYS[2], member) end
end
redis.call('HSET', KEYS[1], 'username', ARGV[1], 'csrfToken', ARGV[2], 'createdAt', ARGV[3], 'expiresAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('SADD', KEYS[2], KEYS[1])
return 1
`;

/**
 * Slide a session's expiry forward.
 * KEYS[1] session hash
 * ARGV[1] new expiresAt (epoch ms)   ARGV[2] TTL ms
 * Returns the session hash as a flat field/value array, or an empty array when the session is
 * gone (expired or deleted; nothing is written).
 */
export const SESSION_TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
redis.call('HSET', KEYS[1], 'expiresAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('HGETALL', KEYS[1])
`;

/**
 * End every session of one user.
 * KEYS[1] the user's session set (members: session key names, same slot)
 * Returns how many live sessions were deleted.
 */
export const SESSION_DELETE_ALL = `
local deleted = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  deleted = deleted + redis.call('DEL', member)
end
redis.call('DEL', KEYS[1])
return deleted
`;

/**
 * Fixed-window rate limit: count one hit.
 * KEYS[1] the window's counter
 * ARGV[1] window ms (applied when the hit opens a new window)
 * Returns {count in this window including this hit, ms until the window ends}.
 */
export const RATE_HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

/**
 * Fixed-window rate limit: give one hit back (the window and its TTL stay).
 * KEYS[1] the window's counter
 * Returns the count after the refund (0 when there was nothing to refund).
 */
export const RATE_REFUND = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count <= 0 then return 0 end
return redis.call('DECR', KEYS[1])
`;

/** The scripts as typed client methods (names are ours; argument order = KEYS then ARGV). */
export interface ScriptCommands {
  mjConversationSave(key: string, expectedVersion: number, json: string): Promise<number>;
  mjTicketCreate(
    seqKey: string,
    ticketKey: string,
    messagesKey: string,
    queueKey: string,
    teamQueueKey: string,
    numberPrefix: string,
    id: string,
    dataJson: string,
    updatedAt: number,
    priority: number,
    memberPrefix: string,
    ...messageJson: string[]
  ): Promise<string>;
  mjTicketAppend(ticketKey: string, messagesKey: string, turnJson: string, updatedAt: number): Promise<number>;
  mjLockAcquire(
    queueKey: string,
    leaseKey: string,
    token: string,
    leaseMs: number,
    queueTtlMs: number,
    first: 0 | 1,
  ): Promise<number>;
  mjLockRenew(queueKey: string, leaseKey: string, token: string, leaseMs: number, queueTtlMs: number): Promise<number>;
  mjLockRelease(queueKey: string, leaseKey: string, token: string, leaseMs: number): Promise<number>;
  mjUserCreate(userKey: string, indexKey: string, username: string, json: string): Promise<number>;
  mjUserSave(userKey: string, expectedVersion: number, json: string): Promise<number>;
  mjSessionCreate(
    sessionKey: string,
    userSessionsKey: string,
    username: string,
    csrfToken: string,
    createdAt: number,
    expiresAt: number,
    ttlMs: number,
  ): Promise<number>;
  mjSessionTouch(sessionKey: string, expiresAt: number, ttlMs: number): Promise<string[]>;
  mjSessionDeleteAll(userSessionsKey: string): Promise<number>;
  mjRateHit(key: string, windowMs: number): Promise<[number, number]>;
  mjRateRefund(key: string): Promise<number>;
}

/** An ioredis client with our scripts defined on it. */
export type ScriptedRedis = Redis & ScriptCommands;

const DEFINITIONS: Record<keyof ScriptCommands, { numberOfKeys: number; lua: string }> = {
  mjConversationSave: { numberOfKeys: 1, lua: CONVERSATION_SAVE },
  mjTicketCreate: { numberOfKeys: 5, lua: TICKET_CREATE },
  mjTicketAppend: { numberOfKeys: 2, lua: TICKET_APPEND },
  mjLockAcquire: { numberOfKeys: 2, lua: LOCK_ACQUIRE },
  mjLockRenew: { numberOfKeys: 2, lua: LOCK_RENEW },
  mjLockRelease: { numberOfKeys: 2, lua: LOCK_RELEASE },
  mjUserCreate: { numberOfKeys: 2, lua: USER_CREATE },
  mjUserSave: { numberOfKeys: 1, lua: USER_SAVE },
  mjSessionCreate: { numberOfKeys: 2, lua: SESSION_CREATE },
  mjSessionTouch: { numberOfKeys: 1, lua: SESSION_TOUCH },
  mjSessionDeleteAll: { numberOfKeys: 1, lua: SESSION_DELETE_ALL },
  mjRateHit: { numberOfKeys: 1, lua: RATE_HIT },
  mjRateRefund: { numberOfKeys: 1, lua: RATE_REFUND },
};

/** Registers every script on `client` (idempotent per name) and returns it typed. */
export function defineScripts(client: Redis): ScriptedRedis {
  for (const [name, definition] of Object.entries(DEFINITIONS)) client.defineCommand(name, definition);
  return client as ScriptedRedis;
}
