import type { AuditEntry, NewAuditEntry } from '../../domain/audit';
import { AUDIT_MAX_ENTRIES, type AuditLog, type AuditQuery } from '../types';
import { auditLimit } from '../audit-query';

/**
 * The audit log as an array, oldest first. Ids are a zero-padded sequence, so they compare as
 * strings in order (like Redis stream ids compare as `<ms>-<seq>`).
 */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];
  private seq = 0;

  constructor(private readonly maxEntries: number = AUDIT_MAX_ENTRIES) {}

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const stored: AuditEntry = { ...structuredClone(entry), id: String(++this.seq).padStart(12, '0') };
    this.entries.push(stored);
    if (this.entries.length > this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
    return structuredClone(stored);
  }

  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const limit = auditLimit(query.limit);
    const out: AuditEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.entries[i]!;
      if (query.before !== undefined && !(Number(e.id) < Number(query.before))) continue;
      if (query.ticketId !== undefined && e.ticketId !== query.ticketId) continue;
      if (query.actor !== undefined && e.actor.username !== query.actor) continue;
      out.push(structuredClone(e));
    }
    return out;
  }
}
