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
 * Shared by the ticket scripts: key builders, the ticket indexes and the status machine.
 *
 * The scripts receive the `{tickets}` namespace (`keys.ticketsNamespace()`) as ARGV[1] and derive
 * index keys from it here, because which indexes a change touches (old status, team, owner) is
 * only known inside the script. Every one of them carries the `{tickets}` hash tag, so they live
 * in the slot of the declared KEYS and this stays valid on Redis Cluster. The builders mirror
 * `keys.ts` exactly (escaping included); `test/contract/redis.test.ts` checks that.
 *
 * Ticket hash fields: `data` (the immutable part as JSON), `number`, `status`, `assignee` ('' =
 * none), `team`, `priority`, `slaDeadline`, `queueMember`, `updatedAt`, and once set
 * `firstResponseAt`, `slaBreachedAt`, `resolvedAt`. Indexes kept in step with them by
 * `unindex`/`index`: `status:<s>` and `status:<s>:team:<t>` (score priority, member queueMember),
 * `agent:<a>:open` (ids of in_progress / waiting_customer tickets owned by `a`).
 */
const TICKET_LIB = `
local NS = ARGV[1]
local function esc(s) return (string.gsub(s, '[%%{}]', function(c) return string.format('%%%02X', string.byte(c)) end)) end
local function ticketKey(id) return NS .. 'ticket:' .. esc(id) end
local function historyKey(id) return NS .. 'history:' .. esc(id) end
local function statusKey(s) return NS .. 'status:' .. esc(s) end
local function statusTeamKey(s, team) return NS .. 'status:' .. esc(s) .. ':team:' .. esc(team) end
local function agentOpenKey(a) return NS .. 'agent:' .. esc(a) .. ':open' end
local function presenceTeamKey(team) return NS .. 'presence:team:' .. esc(team) end
local DUE = NS .. 'due'
local LAST_ASSIGNED = NS .. 'agents:last-assigned'
local PRESENCE = NS .. 'presence'
local PRESENCE_TEAMS = NS .. 'presence:teams'
local OWNED = { in_progress = true, waiting_customer = true }
local WAITING = { new = true, escalated = true }

local function csvSet(s)
  local r = {}
  for x in string.gmatch(s, '[^,]+') do r[x] = true end
  return r
end

local function loadTicket(id)
  local v = redis.call('HMGET', ticketKey(id), 'status', 'assignee', 'team', 'priority', 'queueMember')
  if not v[1] then return nil end
  return { id = id, status = v[1], assignee = v[2] or '', team = v[3], priority = v[4], member = v[5] }
end

local function unindex(t)
  redis.call('ZREM', statusKey(t.status), t.member)
  redis.call('ZREM', statusTeamKey(t.status, t.team), t.member)
  if OWNED[t.status] and t.assignee ~= '' then redis.call('SREM', agentOpenKey(t.assignee), t.id) end
end

local function index(t)
  redis.call('ZADD', statusKey(t.status), t.priority, t.member)
  redis.call('ZADD', statusTeamKey(t.status, t.team), t.priority, t.member)
  if OWNED[t.status] and t.assignee ~= '' then redis.call('SADD', agentOpenKey(t.assignee), t.id) end
end

-- One step of the status machine, the mirror of planTransition() in src/domain/ticket.ts.
-- p = { role, actor (id), allowed (set of from-statuses), ownerOnly (set), assignTo ('' = none),
--       team ('' = keep), capacity ('' = none), actorJson, at, noteJson ('' = none) }
-- Returns 1 (moved), -1 (not a valid step), -2 (an agent who does not own it), -3 (owner at capacity).
local function move(t, to, p)
  if not p.allowed[t.status] then return -1 end
  if p.ownerOnly[t.status] and t.assignee ~= p.actor then return -2 end
  local staff = p.role == 'agent' or p.role == 'supervisor' or p.role == 'admin'
  local assignee
  if WAITING[to] then assignee = ''
  elseif to == 'resolved' then assignee = t.assignee
  elseif p.assignTo ~= '' then assignee = p.assignTo
  elseif WAITING[t.status] then
    if staff then assignee = p.actor else assignee = '' end
  else assignee = t.assignee end
  if OWNED[to] and assignee == '' then return -1 end
  if to == 'in_progress' and t.status == 'in_progress' and assignee == t.assignee then return -1 end
  local team = t.team
  if p.team ~= '' then team = p.team end
  local newOwner = OWNED[to] and (not OWNED[t.status] or assignee ~= t.assignee)
  if newOwner and p.capacity ~= '' and redis.call('SCARD', agentOpenKey(assignee)) >= tonumber(p.capacity) then
    return -3
  end
  local entry = '{"from":"' .. t.status .. '","to":"' .. to .. '","actor":' .. p.actorJson .. ',"at":' .. p.at
  if p.noteJson ~= '' then entry = entry .. ',"note":' .. p.noteJson end
  if assignee ~= t.assignee then
    if assignee == '' then entry = entry .. ',"assignee":null' else entry = entry .. ',"assignee":' .. cjson.encode(assignee) end
  end
  if team ~= t.team then entry = entry .. ',"team":' .. cjson.encode(team) end
  entry = entry .. '}'
  local from = t.status
  unindex(t)
  t.status, t.assignee, t.team = to, assignee, team
  index(t)
  local key = ticketKey(t.id)
  redis.call('HSET', key, 'status', to, 'assignee', assignee, 'team', team, 'updatedAt', p.at)
  if to == 'resolved' then
    redis.call('HSET', key, 'resolvedAt', p.at)
    redis.call('ZREM', DUE, t.id)
  elseif from == 'resolved' then
    redis.call('HDEL', key, 'resolvedAt')
  end
  if newOwner then redis.call('HSET', LAST_ASSIGNED, assignee, p.at) end
  redis.call('RPUSH', historyKey(t.id), entry)
  return 1
end

-- The move parameters from ARGV[first..first+9], in the order of the table above.
local function moveParams(first)
  return {
    role = ARGV[first], actor = ARGV[first + 1], allowed = csvSet(ARGV[first + 2]), ownerOnly = csvSet(ARGV[first + 3]),
    assignTo = ARGV[first + 4], team = ARGV[first + 5], capacity = ARGV[first + 6], actorJson = ARGV[first + 7],
    at = ARGV[first + 8], noteJson = ARGV[first + 9],
  }
end
`;

/**
 * Ticket create: number, ticket, messages and indexes in one step, so a crash can never leave a
 * numbered ticket outside the queue.
 * KEYS[1] number counter   KEYS[2] ticket hash   KEYS[3] messages list
 * ARGV[1] `{tickets}` namespace   ARGV[2] number prefix (e.g. MJ)   ARGV[3] ticket id
 * ARGV[4] ticket JSON (the immutable part)   ARGV[5] updatedAt (epoch ms)   ARGV[6] priority (the queue score)
 * ARGV[7] queue member prefix `<slaDeadline>:<createdAt>:` (16-digit zero-padded each)
 * ARGV[8] team   ARGV[9] SLA deadline (epoch ms)
 * ARGV[10..n] the initial messages, one JSON turn each, oldest first
 * Returns the ticket number, e.g. `MJ-000042` (six digits, more once the counter needs them).
 *
 * Queue order: the score is the priority (lower first). Equal scores sort by member, byte-wise, and
 * the member is `<deadline>:<createdAt>:<seq>:<id>` zero-padded, so ties fall to the SLA deadline,
 * then arrival, then creation order. Integers as scores stay exact (no packing of three numbers
 * into one double). The ticket also enters the due index (score = SLA deadline).
 */
export const TICKET_CREATE = `${TICKET_LIB}
local seq = redis.call('INCR', KEYS[1])
local digits = tostring(seq)
local number = ARGV[2] .. '-' .. string.rep('0', 6 - #digits) .. digits
local member = ARGV[7] .. string.rep('0', 12 - #digits) .. digits .. ':' .. ARGV[3]
redis.call('HSET', KEYS[2], 'data', ARGV[4], 'number', number, 'status', 'new', 'assignee', '', 'team', ARGV[8],
  'priority', ARGV[6], 'slaDeadline', ARGV[9], 'updatedAt', ARGV[5], 'queueMember', member)
for i = 10, #ARGV do
  redis.call('RPUSH', KEYS[3], ARGV[i])
end
index({ id = ARGV[3], status = 'new', assignee = '', team = ARGV[8], priority = ARGV[6], member = member })
redis.call('ZADD', DUE, ARGV[9], ARGV[3])
return number
`;

/**
 * Append a turn to an existing ticket. An agent's first turn is the first response: it stamps
 * `firstResponseAt` and leaves the due index (the SLA is met, or stays breached).
 * KEYS[1] ticket hash   KEYS[2] messages list
 * ARGV[1] namespace   ARGV[2] id   ARGV[3] turn JSON   ARGV[4] updatedAt (epoch ms)
 * ARGV[5] '1' when the turn is an agent's   ARGV[6] required owner ('' = anyone): the ticket must
 *         be in_progress / waiting_customer and owned by this agent
 * Returns the new message count, 0 when the ticket does not exist, -2 when the required owner
 * does not own it (nothing is written in either case).
 */
export const TICKET_APPEND = `${TICKET_LIB}
local t = loadTicket(ARGV[2])
if not t then return 0 end
if ARGV[6] ~= '' and not (OWNED[t.status] and t.assignee == ARGV[6]) then return -2 end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[4])
if ARGV[5] == '1' and redis.call('HSETNX', KEYS[1], 'firstResponseAt', ARGV[4]) == 1 then
  redis.call('ZREM', DUE, ARGV[2])
end
return redis.call('RPUSH', KEYS[2], ARGV[3])
`;

/**
 * One status step (claim, transition, assign, transfer): validates it against the machine and the
 * owner, checks the new owner's capacity, moves the ticket between indexes and appends history.
 * KEYS[1] ticket hash
 * ARGV[1] namespace   ARGV[2] id   ARGV[3] target status
 * ARGV[4..13] move parameters: role, actor id, allowed from-statuses (comma-separated),
 *   owner-only from-statuses, assignTo ('' = none), team ('' = keep), capacity ('' = none),
 *   actor JSON, at (epoch ms), note JSON ('' = none)
 * Returns { code, status, assignee } with the status and owner as they are afterwards: code 1
 * moved, 0 no such ticket, -1 not a valid step, -2 not the owner, -3 the new owner is at capacity.
 */
export const TICKET_MOVE = `${TICKET_LIB}
local t = loadTicket(ARGV[2])
if not t then return { 0, '', '' } end
local code = move(t, ARGV[3], moveParams(4))
return { code, t.status, t.assignee }
`;

/**
 * Auto-assignment: gives a waiting ticket to the least-loaded candidate under capacity, counting
 * loads inside Redis so concurrent arrivals on several instances never exceed anyone's capacity.
 * Ties: the oldest last assignment (never = oldest), then candidate order (the caller sorts ids),
 * the same choice as pickAgent() in src/handoff/assignment.ts.
 * KEYS[1] ticket hash
 * ARGV[1] namespace   ARGV[2] id   ARGV[3] capacity   ARGV[4..13] move parameters (assignTo is
 *   replaced by the choice)   ARGV[14..n] candidate agent ids
 * Returns { code, agent }: 1 assigned, 0 no such ticket, -1 not waiting, -3 everyone at capacity.
 */
export const TICKET_AUTO_ASSIGN = `${TICKET_LIB}
local t = loadTicket(ARGV[2])
if not t then return { 0, '' } end
if not WAITING[t.status] then return { -1, '' } end
local capacity = tonumber(ARGV[3])
local best, bestLoad, bestLast = nil, nil, nil
for i = 14, #ARGV do
  local agent = ARGV[i]
  local load = redis.call('SCARD', agentOpenKey(agent))
  if load < capacity then
    local last = tonumber(redis.call('HGET', LAST_ASSIGNED, agent) or '-1')
    if not best or load < bestLoad or (load == bestLoad and last < bestLast) then
      best, bestLoad, bestLast = agent, load, last
    end
  end
end
if not best then return { -3, '' } end
local p = moveParams(4)
p.assignTo = best
local code = move(t, 'in_progress', p)
if code ~= 1 then return { code, '' } end
return { 1, best }
`;

/**
 * Returns an agent's open tickets to their queues (status `new`, no owner), for a logout or the
 * offline sweep. With a cutoff it first checks, in the same step, that the agent's heartbeat
 * expired at or before it (an agent who came back keeps everything) and then forgets the agent's
 * presence, so the sweep acts once.
 * KEYS[1] presence sorted set
 * ARGV[1] namespace   ARGV[2] agent   ARGV[3] offline cutoff (epoch ms, '' = release unconditionally)
 * ARGV[4..13] move parameters (target `new`)
 * Returns the ids of the requeued tickets (empty when the agent is back online).
 */
export const TICKET_RELEASE = `${TICKET_LIB}
local agent = ARGV[2]
if ARGV[3] ~= '' then
  local expires = redis.call('ZSCORE', PRESENCE, agent)
  if expires and tonumber(expires) > tonumber(ARGV[3]) then return {} end
  local teams = redis.call('HGET', PRESENCE_TEAMS, agent)
  if teams then
    for team in string.gmatch(teams, '[^\\n]+') do redis.call('ZREM', presenceTeamKey(team), agent) end
  end
  redis.call('HDEL', PRESENCE_TEAMS, agent)
  redis.call('ZREM', PRESENCE, agent)
end
local ids = redis.call('SMEMBERS', agentOpenKey(agent))
table.sort(ids)
local released = {}
local p = moveParams(4)
for _, id in ipairs(ids) do
  local t = loadTicket(id)
  if not t then
    redis.call('SREM', agentOpenKey(agent), id)
  elseif OWNED[t.status] and t.assignee == agent and move(t, 'new', p) == 1 then
    table.insert(released, id)
  end
end
return released
`;

/**
 * Adds an internal note.
 * KEYS[1] ticket hash   KEYS[2] notes list
 * ARGV[1] note JSON   ARGV[2] updatedAt (epoch ms)
 * Returns the new note count, or 0 when the ticket does not exist (nothing is written).
 */
export const TICKET_NOTE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[2])
return redis.call('RPUSH', KEYS[2], ARGV[1])
`;

/**
 * Marks the first-response SLA breached, once: the deadline passed, no agent has replied, the
 * ticket is not resolved and not marked yet. Any instance may call it for the same ticket at the
 * same time; exactly one gets 1. A ticket that no longer needs watching leaves the due index.
 * KEYS[1] ticket hash   KEYS[2] due index
 * ARGV[1] id   ARGV[2] now (epoch ms)
 * Returns 1 when this call marked the breach, 0 otherwise (also for an unknown ticket).
 */
export const TICKET_SLA_BREACH = `
local v = redis.call('HMGET', KEYS[1], 'status', 'slaDeadline', 'firstResponseAt', 'slaBreachedAt')
if not v[1] then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
if v[4] then return 0 end
if v[3] or v[1] == 'resolved' then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
if tonumber(v[2]) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'slaBreachedAt', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;

/**
 * Starts a new first-response clock (a reopened ticket): new deadline, first-response / at-risk /
 * breach marks cleared, back in the due index (unless resolved), and a queue member whose
 * deadline part is the new one (the member starts with the 16-digit deadline), re-indexed.
 * KEYS[1] ticket hash
 * ARGV[1] namespace   ARGV[2] id   ARGV[3] new deadline (epoch ms)   ARGV[4] updatedAt (epoch ms)
 * Returns 1 when done, 0 when the ticket does not exist (nothing is written).
 */
export const TICKET_RESTART_SLA = `${TICKET_LIB}
local t = loadTicket(ARGV[2])
if not t then return 0 end
unindex(t)
t.member = string.format('%016d', tonumber(ARGV[3])) .. string.sub(t.member, 17)
index(t)
redis.call('HSET', KEYS[1], 'slaDeadline', ARGV[3], 'queueMember', t.member, 'updatedAt', ARGV[4])
redis.call('HDEL', KEYS[1], 'firstResponseAt', 'slaAtRiskAt', 'slaBreachedAt')
if t.status ~= 'resolved' then redis.call('ZADD', DUE, ARGV[3], t.id) end
return 1
`;

/**
 * Marks the first response "at risk", once: no agent has replied, not breached, not resolved, not
 * marked yet. Any instance may call it for the same ticket at the same time; exactly one gets 1.
 * KEYS[1] ticket hash
 * ARGV[1] now (epoch ms)
 * Returns 1 when this call marked it, 0 otherwise (also for an unknown ticket).
 */
export const TICKET_SLA_AT_RISK = `
local v = redis.call('HMGET', KEYS[1], 'status', 'firstResponseAt', 'slaBreachedAt', 'slaAtRiskAt')
if not v[1] or v[1] == 'resolved' or v[2] or v[3] or v[4] then return 0 end
redis.call('HSET', KEYS[1], 'slaAtRiskAt', ARGV[1])
return 1
`;

/**
 * Records a customer's satisfaction rating on an existing ticket (a later rating replaces it).
 * KEYS[1] ticket hash
 * ARGV[1] score (1–5)   ARGV[2] when it was given (epoch ms)   ARGV[3] updatedAt (epoch ms)
 * Returns 1 when recorded, 0 when the ticket does not exist (nothing is written).
 */
export const TICKET_CSAT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'csatScore', ARGV[1], 'csatAt', ARGV[2], 'updatedAt', ARGV[3])
return 1
`;

/**
 * Appends one message to a customer's outbox stream, keeps only the newest messages and
 * (re)starts the outbox's expiry, in one step.
 * KEYS[1] outbox stream
 * ARGV[1] messages kept (exact MAXLEN)   ARGV[2] TTL ms   ARGV[3] the message JSON (field `m`)
 * Returns the new entry's stream id (`<ms>-<seq>`, Redis's clock): the message's cursor.
 */
export const OUTBOX_APPEND = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'm', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return id
`;

/**
 * An agent's heartbeat: online until the expiry, in the given teams (teams dropped since the last
 * heartbeat are left).
 * KEYS[1] presence sorted set
 * ARGV[1] namespace   ARGV[2] agent   ARGV[3] expiry (epoch ms)   ARGV[4..n] team ids
 * Returns 1.
 */
export const PRESENCE_HEARTBEAT = `${TICKET_LIB}
local agent, expires = ARGV[2], ARGV[3]
local keep = {}
for i = 4, #ARGV do keep[ARGV[i]] = true end
local old = redis.call('HGET', PRESENCE_TEAMS, agent)
if old then
  for team in string.gmatch(old, '[^\\n]+') do
    if not keep[team] then redis.call('ZREM', presenceTeamKey(team), agent) end
  end
end
local joined = {}
for i = 4, #ARGV do
  redis.call('ZADD', presenceTeamKey(ARGV[i]), expires, agent)
  table.insert(joined, ARGV[i])
end
redis.call('HSET', PRESENCE_TEAMS, agent, table.concat(joined, '\\n'))
redis.call('ZADD', PRESENCE, expires, agent)
return 1
`;

/**
 * The FIFO lock's steps as Lua functions, shared by the LOCK_* scripts and by the conversation
 * scripts that fold a read or a save into them (CONVERSATION_LOCK, CONVERSATION_SAVE_RELEASE).
 *
 * `lockAcquire(queue, lease, token, leaseMs, queueTtlMs, first)`: take a place in line / try to
 * take the lock. `first` is '1' on the first call (append the token); on later polls the token is
 * appended again only if it vanished (it was removed as dead after missing its turn). Returns 1
 * when the caller holds the lock (its lease is set), 0 to keep waiting. The head always owns a
 * lease: it was handed one on release, or took it here. A lease that is gone while its head is
 * still listed means the head died (holder crashed, or a waiter vanished just as its turn came):
 * the dead head is removed and the next in line gets a fresh lease.
 *
 * `lockRelease(queue, lease, token, leaseMs)`: leave the line, as the holder (the lock passes to
 * the next token with a fresh lease of `leaseMs`; returns 1) or as a waiter, or with a token that
 * is already gone (removes it if listed; returns 0).
 */
const LOCK_LIB = `${KEEP_QUEUE_ALIVE}
local function lockAcquire(queue, lease, token, leaseMs, queueTtl, first)
  if first == '1' or not redis.call('LPOS', queue, token) then
    redis.call('RPUSH', queue, token)
  end
  keepQueueAlive(queue, queueTtl)
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
end

local function lockRelease(queue, lease, token, leaseMs)
  if redis.call('LINDEX', queue, 0) ~= token then
    redis.call('LREM', queue, 1, token)
    return 0
  end
  redis.call('LPOP', queue)
  local nextHead = redis.call('LINDEX', queue, 0)
  if nextHead then
    redis.call('SET', lease, nextHead, 'PX', leaseMs)
  else
    redis.call('DEL', lease)
  end
  return 1
end
`;

/**
 * FIFO lock, take a place in line / try to take the lock (`lockAcquire` in LOCK_LIB).
 * KEYS[1] waiting list (head = holder)   KEYS[2] lease (holds the head's token, expires)
 * ARGV[1] the caller's token   ARGV[2] lease ms   ARGV[3] waiting-list TTL ms
 * ARGV[4] '1' on the first call, '0' on later polls
 * Returns 1 when the caller holds the lock (its lease is set), 0 to keep waiting.
 */
export const LOCK_ACQUIRE = `${LOCK_LIB}
return lockAcquire(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
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
 * FIFO lock, leave the line: release after the work, or withdraw after a wait timeout
 * (`lockRelease` in LOCK_LIB).
 * KEYS[1] waiting list   KEYS[2] lease
 * ARGV[1] the caller's token   ARGV[2] lease ms handed to the next head
 * Returns 1 when the caller was the head (the lock passes to the next token, with a fresh lease),
 * 0 when it only removed a waiting token (or the token was already gone).
 */
export const LOCK_RELEASE = `${LOCK_LIB}
return lockRelease(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
`;

/**
 * A conversation's lock, taken together with a read of the conversation: LOCK_ACQUIRE, and when
 * the lock is won, the document as stored at that moment (no one else may save it while we hold
 * the lock, so it is the version this holder works from).
 * KEYS[1] waiting list   KEYS[2] lease   KEYS[3] conversation hash {v, json}
 * ARGV as LOCK_ACQUIRE (token, lease ms, waiting-list TTL ms, first call '1' / '0')
 * Returns 0 to keep waiting; once the lock is held, the conversation JSON, or 1 when none is stored.
 */
export const CONVERSATION_LOCK = `${LOCK_LIB}
if lockAcquire(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4]) ~= 1 then return 0 end
return redis.call('HGET', KEYS[3], 'json') or 1
`;

/**
 * A conversation's compare-and-set save (as CONVERSATION_SAVE) and its lock's release (as
 * LOCK_RELEASE) in one step. The release happens whether the save won or lost: a lost save is
 * thrown as `STORE_CONFLICT`, which would release the lock anyway. A holder whose lease lapsed
 * (stalled past `leaseMs`) saves only if the version still matches, and merely leaves the line.
 * KEYS[1] conversation hash {v, json}   KEYS[2] waiting list   KEYS[3] lease
 * ARGV[1] the version the caller read   ARGV[2] the conversation JSON (version ARGV[1] + 1)
 * ARGV[3] the holder's token   ARGV[4] lease ms handed to the next head
 * Returns 1 when saved, 0 when the stored version differs (nothing written); the lock is released
 * either way.
 */
export const CONVERSATION_SAVE_RELEASE = `${LOCK_LIB}
local saved = 0
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current == tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'v', current + 1, 'json', ARGV[2])
  saved = 1
end
lockRelease(KEYS[2], KEYS[3], ARGV[3], ARGV[4])
return saved
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
    namespace: string,
    numberPrefix: string,
    id: string,
    dataJson: string,
    updatedAt: number,
    priority: number,
    memberPrefix: string,
    team: string,
    slaDeadline: number,
    ...messageJson: string[]
  ): Promise<string>;
  mjTicketAppend(
    ticketKey: string,
    messagesKey: string,
    namespace: string,
    id: string,
    turnJson: string,
    updatedAt: number,
    isAgent: '0' | '1',
    requiredOwner: string,
  ): Promise<number>;
  mjTicketMove(
    ticketKey: string,
    namespace: string,
    id: string,
    to: string,
    ...params: MoveParams
  ): Promise<[number, string, string]>;
  mjTicketAutoAssign(
    ticketKey: string,
    namespace: string,
    id: string,
    capacity: number,
    ...paramsAndCandidates: [...MoveParams, ...string[]]
  ): Promise<[number, string]>;
  mjTicketRelease(
    presenceKey: string,
    namespace: string,
    agent: string,
    offlineCutoff: string,
    ...params: MoveParams
  ): Promise<string[]>;
  mjTicketNote(ticketKey: string, notesKey: string, noteJson: string, updatedAt: number): Promise<number>;
  mjTicketSlaBreach(ticketKey: string, dueKey: string, id: string, now: number): Promise<number>;
  mjTicketSlaAtRisk(ticketKey: string, now: number): Promise<number>;
  mjTicketRestartSla(ticketKey: string, ns: string, id: string, deadline: number, now: number): Promise<number>;
  mjTicketCsat(ticketKey: string, score: number, at: number, updatedAt: number): Promise<number>;
  mjOutboxAppend(outboxKey: string, maxLength: number, ttlMs: number, messageJson: string): Promise<string>;
  mjPresenceHeartbeat(
    presenceKey: string,
    namespace: string,
    agent: string,
    expiresAt: number,
    ...teams: string[]
  ): Promise<number>;
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
  mjConversationLock(
    queueKey: string,
    leaseKey: string,
    conversationKey: string,
    token: string,
    leaseMs: number,
    queueTtlMs: number,
    first: 0 | 1,
  ): Promise<0 | 1 | string>;
  mjConversationSaveRelease(
    conversationKey: string,
    queueKey: string,
    leaseKey: string,
    expectedVersion: number,
    json: string,
    token: string,
    leaseMs: number,
  ): Promise<number>;
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

/**
 * The ten move parameters of `TICKET_LIB`'s `moveParams`, in order: role, actor id, allowed
 * from-statuses (comma-separated), owner-only from-statuses, assignTo ('' = none), team ('' =
 * keep), capacity ('' = none), actor JSON, at, note JSON ('' = none).
 */
export type MoveParams = [string, string, string, string, string, string, string, string, number, string];

/** An ioredis client with our scripts defined on it. */
export type ScriptedRedis = Redis & ScriptCommands;

const DEFINITIONS: Record<keyof ScriptCommands, { numberOfKeys: number; lua: string }> = {
  mjConversationSave: { numberOfKeys: 1, lua: CONVERSATION_SAVE },
  mjTicketCreate: { numberOfKeys: 3, lua: TICKET_CREATE },
  mjTicketAppend: { numberOfKeys: 2, lua: TICKET_APPEND },
  mjTicketMove: { numberOfKeys: 1, lua: TICKET_MOVE },
  mjTicketAutoAssign: { numberOfKeys: 1, lua: TICKET_AUTO_ASSIGN },
  mjTicketRelease: { numberOfKeys: 1, lua: TICKET_RELEASE },
  mjTicketNote: { numberOfKeys: 2, lua: TICKET_NOTE },
  mjTicketSlaBreach: { numberOfKeys: 2, lua: TICKET_SLA_BREACH },
  mjTicketSlaAtRisk: { numberOfKeys: 1, lua: TICKET_SLA_AT_RISK },
  mjTicketRestartSla: { numberOfKeys: 1, lua: TICKET_RESTART_SLA },
  mjTicketCsat: { numberOfKeys: 1, lua: TICKET_CSAT },
  mjOutboxAppend: { numberOfKeys: 1, lua: OUTBOX_APPEND },
  mjPresenceHeartbeat: { numberOfKeys: 1, lua: PRESENCE_HEARTBEAT },
  mjLockAcquire: { numberOfKeys: 2, lua: LOCK_ACQUIRE },
  mjLockRenew: { numberOfKeys: 2, lua: LOCK_RENEW },
  mjLockRelease: { numberOfKeys: 2, lua: LOCK_RELEASE },
  mjConversationLock: { numberOfKeys: 3, lua: CONVERSATION_LOCK },
  mjConversationSaveRelease: { numberOfKeys: 3, lua: CONVERSATION_SAVE_RELEASE },
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
