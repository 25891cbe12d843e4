import { auditEntrySchema, type AuditEntry, type NewAuditEntry } from '../../domain/audit';
import { auditLimit } from '../audit-query';
import { AUDIT_MAX_ENTRIES, type AuditLog, type AuditQuery } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/** How many stream entries one `list` reads at most while filtering (by ticket or actor). */
const SCAN_LIMIT = 10_000;
const SCAN_BATCH = 500;

/**
 * A Redis stream: `XADD … MAXLEN ~ AUDIT_MAX_ENTRIES * json <entry>` is one command (atomic
 * without a script) and append-only by nature; the stream id (`<ms>-<seq>`, increasing across
 * every instance) is the entry id. Reading goes newest first with `XREVRANGE`, filtering in
 * batches (at most `SCAN_LIMIT` entries per call).
 */
export class RedisAuditLog implements AuditLog {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const json = JSON.stringify(entry);
    const id = await guard(
      this.client.xadd(this.keys.audit(), 'MAXLEN', '~', String(AUDIT_MAX_ENTRIES), '*', 'json', json),
    );
    return { ...structuredClone(entry), id: id as string };
  }

  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const limit = auditLimit(query.limit);
    const out: AuditEntry[] = [];
    let end = query.before === undefined ? '+' : `(${query.before}`;
    let scanned = 0;
    while (out.length < limit && scanned < SCAN_LIMIT) {
      const batch = await guard(this.client.xrevrange(this.keys.audit(), end, '-', 'COUNT', SCAN_BATCH));
      for (const [id, fields] of batch) {
        const entry = parseEntry(id, fields);
        if (!entry) continue;
        if (query.ticketId !== undefined && entry.ticketId !== query.ticketId) continue;
        if (query.actor !== undefined && entry.actor.username !== query.actor) continue;
        out.push(entry);
        if (out.length === limit) break;
      }
      scanned += batch.length;
      if (batch.length < SCAN_BATCH) break;
      end = `(${batch[batch.length - 1]![0]}`;
    }
    return out;
  }
}

function parseEntry(id: string, fields: string[]): AuditEntry | null {
  const at = fields.indexOf('json');
  if (at < 0 || at + 1 >= fields.length) return null;
  try {
    const parsed = auditEntrySchema.safeParse({ ...JSON.parse(fields[at + 1]!), id });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
