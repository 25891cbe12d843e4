import { createHash } from 'node:crypto';

/**
 * Every Redis key name the stores use, built in this one place (see the layout table in
 * `src/store/README.md`). Names are our own and never read back from Redis, so no KEYS/SCAN and
 * no ioredis `keyPrefix` are involved.
 *
 * Hash tags (`{...}`) pin the keys one script touches to one Redis Cluster slot:
 * - all ticket keys share `{tickets}` (the create script writes the counter, the ticket, its
 *   messages and its indexes in one step; a claim moves a ticket between indexes and an agent's
 *   load; the offline sweep checks presence and requeues in one step: they must live together).
 *   Presence lives there too for that last reason.
 * - a lock's waiting list and lease share `{<lock key>}`; the conversation scripts
 *   (CONVERSATION_LOCK, CONVERSATION_SAVE_RELEASE) also touch `conv:<id>`, outside that tag: they
 *   need one Redis (or Sentinel), not Cluster, until the conversation key moves into the tag;
 * - all user keys share `{users}` (create writes the user and the index together);
 * - all session keys share `{sessions}` (a user's session set names the session keys that
 *   "log out everywhere" deletes in one script);
 * - both directions of a Telegram desk topic link share `{desk}` (written by one `MSETNX`).
 *
 * Caller-supplied parts are escaped (`%`, `{`, `}` become `%25`, `%7B`, `%7D`) so a conversation
 * id containing braces can never change which part of the name Redis hashes.
 */
export interface RedisKeys {
  readonly prefix: string;
  /** Hash `{v, json}`: the conversation's version and its JSON. */
  conversation(id: string): string;
  /** String counter behind `<numberPrefix>-000001`, one per number prefix. */
  ticketSeq(numberPrefix: string): string;
  /** Hash `{data, number, status, updatedAt}`: the ticket without its messages. */
  ticket(id: string): string;
  /** List of JSON turns, oldest first. */
  ticketMessages(id: string): string;
  /** List of JSON `TicketTransition`s, oldest first. */
  ticketHistory(id: string): string;
  /** List of JSON `TicketNote`s, oldest first. */
  ticketNotes(id: string): string;
  /**
   * `<prefix>{tickets}:`, the namespace the ticket scripts receive: they derive the index keys
   * below from it in Lua (`TICKET_LIB` in `scripts.ts` mirrors these builders, escaping included).
   */
  ticketsNamespace(): string;
  /** Sorted set of the tickets in one status, all teams: score = priority, member = the queue member (see `queueMemberPrefix`). */
  statusIndex(status: string): string;
  /** The same, one team. */
  statusTeamIndex(status: string, team: string): string;
  /** Set of the ids of an agent's open (`in_progress` / `waiting_customer`) tickets: its load. */
  agentOpen(agent: string): string;
  /** Hash agent → epoch ms of the agent's last assignment (auto-assignment's tie-break). */
  agentsLastAssigned(): string;
  /** Sorted set of ticket ids by SLA deadline, while the first response is pending and not breached. */
  due(): string;
  /** Sorted set of agents by heartbeat expiry (epoch ms). */
  presence(): string;
  /** Hash agent → its teams joined by newline (as of its last heartbeat). */
  presenceTeams(): string;
  /** Sorted set of one team's agents by heartbeat expiry. */
  presenceTeam(team: string): string;
  /** Stream of one customer's outbox (messages sent later, for channels that poll); expires after the last append. */
  outbox(channel: string, recipient: string): string;
  /** String with a TTL: a seen dedup key. */
  dedup(key: string): string;
  /** List of waiter tokens, head = the holder. */
  lockQueue(key: string): string;
  /** String with a TTL: the token that holds the lock (the head's lease). */
  lockLease(key: string): string;
  /** Hash `{v, json}`: a console user (`json` without secrets other than the password hash). */
  user(username: string): string;
  /** Set of every username (for `list`). */
  userIndex(): string;
  /**
   * Hash `{username, csrfToken, createdAt, expiresAt}` with a TTL: one login session. Named by the
   * SHA-256 of the session id, so a Redis dump or `MONITOR` never shows a usable session id.
   */
  session(id: string): string;
  /** Set (no TTL) of the session keys (names as built by `session`) of one user, for "log out everywhere". */
  userSessions(username: string): string;
  /** String counter with a TTL: one fixed rate-limit window. */
  rateLimit(key: string): string;
  /** String: one customer note (JSON), by channel (no `:` in channel names) and sender. */
  customerNote(channel: string, senderId: string): string;
  /** String `<chatId>:<threadId>`: the Telegram desk topic of a ticket. Shares `{desk}` with `deskTicket`. */
  deskTopic(ticketId: string): string;
  /** String: the ticket id of one Telegram desk topic (linked with `deskTopic` in one `MSETNX`). */
  deskTicket(chatId: number, threadId: number): string;
  /** Stream of audit entries (field `json`), capped near `AUDIT_MAX_ENTRIES`; stream ids are the entry ids. */
  audit(): string;
  /** Pub/sub channel of the console's live events (JSON `LiveEvent`s). Not a key: it holds no data. */
  eventsChannel(): string;
  /** String: WhatsApp Web creds (BufferJSON). The session's keys share `{wa:<session>}`. */
  waCreds(session: string): string;
  /** Hash id → value (BufferJSON): one key category of a WhatsApp Web session. */
  waKeys(session: string, category: string): string;
  /** Set of the categories a WhatsApp Web session ever wrote (what `clear` deletes). */
  waCategories(session: string): string;
  /** String with a TTL: the owner token of a named lease (who owns the WhatsApp socket). */
  lease(name: string): string;
  /** Hash conversation id → since (epoch ms): conversations under human takeover. */
  takeovers(): string;
  /** String with a TTL: the WhatsApp Web socket owner's posted status (JSON). */
  waStatus(session: string): string;
  /** List of JSON requests for the WhatsApp Web socket owner, oldest at the head. */
  waRequests(session: string): string;
  /** Hash conv/state/rank/at with a TTL: one outbound message's delivery receipt. */
  receipt(messageId: string): string;
  /** String with a TTL: the id of a conversation's latest outbound message with a receipt. */
  receiptLatest(conversationId: string): string;
}

/** The default key prefix: `mj:` (MAJU JAYA). */
export const DEFAULT_KEY_PREFIX = 'mj:';

/** Escapes the characters that could form or break a hash tag. */
export function escapeKeyPart(part: string): string {
  return part.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function createKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  if (/[{}]/.test(prefix))
    throw new Error('The Redis key prefix must not contain braces (they are reserved for hash tags)');
  const t = `${prefix}{tickets}:`;
  return {
    prefix,
    conversation: (id) => `${prefix}conv:${escapeKeyPart(id)}`,
    ticketSeq: (numberPrefix) => `${t}seq:${escapeKeyPart(numberPrefix)}`,
    ticket: (id) => `${t}ticket:${escapeKeyPart(id)}`,
    ticketMessages: (id) => `${t}messages:${escapeKeyPart(id)}`,
    ticketHistory: (id) => `${t}history:${escapeKeyPart(id)}`,
    ticketNotes: (id) => `${t}notes:${escapeKeyPart(id)}`,
    ticketsNamespace: () => t,
    statusIndex: (status) => `${t}status:${escapeKeyPart(status)}`,
    statusTeamIndex: (status, team) => `${t}status:${escapeKeyPart(status)}:team:${escapeKeyPart(team)}`,
    agentOpen: (agent) => `${t}agent:${escapeKeyPart(agent)}:open`,
    agentsLastAssigned: () => `${t}agents:last-assigned`,
    due: () => `${t}due`,
    presence: () => `${t}presence`,
    presenceTeams: () => `${t}presence:teams`,
    presenceTeam: (team) => `${t}presence:team:${escapeKeyPart(team)}`,
    outbox: (channel, recipient) => `${prefix}outbox:${escapeKeyPart(channel)}:${escapeKeyPart(recipient)}`,
    dedup: (key) => `${prefix}dedup:${escapeKeyPart(key)}`,
    lockQueue: (key) => `${prefix}lock:{${escapeKeyPart(key)}}:queue`,
    lockLease: (key) => `${prefix}lock:{${escapeKeyPart(key)}}:lease`,
    user: (username) => `${prefix}{users}:user:${escapeKeyPart(username)}`,
    userIndex: () => `${prefix}{users}:index`,
    session: (id) => `${prefix}{sessions}:session:${createHash('sha256').update(id).digest('hex')}`,
    userSessions: (username) => `${prefix}{sessions}:user:${escapeKeyPart(username)}`,
    rateLimit: (key) => `${prefix}ratelimit:${escapeKeyPart(key)}`,
    customerNote: (channel, senderId) => `${prefix}customer:${escapeKeyPart(channel)}:${escapeKeyPart(senderId)}:note`,
    deskTopic: (ticketId) => `${prefix}{desk}:ticket:${escapeKeyPart(ticketId)}`,
    deskTicket: (chatId, threadId) => `${prefix}{desk}:topic:${chatId}:${threadId}`,
    audit: () => `${prefix}audit`,
    eventsChannel: () => `${prefix}events`,
    waCreds: (session) => `${prefix}wa:{${escapeKeyPart(session)}}:creds`,
    waKeys: (session, category) => `${prefix}wa:{${escapeKeyPart(session)}}:keys:${escapeKeyPart(category)}`,
    waCategories: (session) => `${prefix}wa:{${escapeKeyPart(session)}}:categories`,
    lease: (name) => `${prefix}lease:${escapeKeyPart(name)}`,
    takeovers: () => `${prefix}takeovers`,
    waStatus: (session) => `${prefix}wa-board:{${escapeKeyPart(session)}}:status`,
    waRequests: (session) => `${prefix}wa-board:{${escapeKeyPart(session)}}:requests`,
    receipt: (messageId) => `${prefix}receipt:${escapeKeyPart(messageId)}`,
    receiptLatest: (conversationId) => `${prefix}receipt-latest:${escapeKeyPart(conversationId)}`,
  };
}

/** Width of each zero-padded number in a queue member, enough for epoch ms far past year 3000. */
const MEMBER_NUMBER_WIDTH = 16;

/**
 * The queue member's leading part: `<slaDeadline>:<createdAt>:` zero-padded, so members with the
 * same score (priority) sort by deadline, then arrival, byte-wise. The create script appends the
 * zero-padded sequence number and the id (`...:<seq>:<id>`); the id is the part after the last `:`.
 */
export function queueMemberPrefix(slaDeadline: number, createdAt: number): string {
  const pad = (n: number) => String(Math.max(0, Math.floor(n))).padStart(MEMBER_NUMBER_WIDTH, '0');
  return `${pad(slaDeadline)}:${pad(createdAt)}:`;
}

/** The ticket id inside a queue member. */
export function ticketIdFromMember(member: string): string {
  return member.slice(member.lastIndexOf(':') + 1);
}
