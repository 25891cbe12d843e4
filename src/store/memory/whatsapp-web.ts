import type { Clock } from '../../domain/clock';
import { fromBufferJson, toBufferJson } from '../buffer-json';
import type {
  HumanTakeover,
  LeaseStore,
  TakeoverIndex,
  WhatsAppAuthStore,
  WhatsAppWebBoard,
  WhatsAppWebRequest,
} from '../types';

/**
 * WhatsApp Web login state in this process's memory (development and tests only: a restart
 * forgets the login, so production uses Redis). Values are kept as BufferJSON text, so what comes
 * back is a copy exactly as Redis would return it.
 */
export class MemoryWhatsAppAuthStore implements WhatsAppAuthStore {
  private readonly creds = new Map<string, string>();
  private readonly keys = new Map<string, Map<string, Map<string, string>>>();

  async getCreds(session: string): Promise<unknown | null> {
    const json = this.creds.get(session);
    return json === undefined ? null : fromBufferJson(json);
  }

  async setCreds(session: string, creds: unknown): Promise<void> {
    this.creds.set(session, toBufferJson(creds));
  }

  async getKeys(session: string, category: string, ids: readonly string[]): Promise<Record<string, unknown>> {
    const values = this.keys.get(session)?.get(category);
    const out: Record<string, unknown> = {};
    for (const id of ids) {
      const json = values?.get(id);
      if (json !== undefined) out[id] = fromBufferJson(json);
    }
    return out;
  }

  async setKeys(session: string, data: Record<string, Record<string, unknown>>): Promise<void> {
    let categories = this.keys.get(session);
    if (!categories) this.keys.set(session, (categories = new Map()));
    for (const [category, entries] of Object.entries(data)) {
      let values = categories.get(category);
      if (!values) categories.set(category, (values = new Map()));
      for (const [id, value] of Object.entries(entries)) {
        if (value === null || value === undefined) values.delete(id);
        else values.set(id, toBufferJson(value));
      }
    }
  }

  async clear(session: string): Promise<void> {
    this.creds.delete(session);
    this.keys.delete(session);
  }
}

/** Leases in memory, expiring by the injected clock. One process only. */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { owner: string; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  private current(name: string): { owner: string; expiresAt: number } | undefined {
    const lease = this.leases.get(name);
    if (lease && lease.expiresAt <= this.clock.now()) {
      this.leases.delete(name);
      return undefined;
    }
    return lease;
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const lease = this.current(name);
    if (lease && lease.owner !== owner) return false;
    this.leases.set(name, { owner, expiresAt: this.clock.now() + ttlMs });
    return true;
  }

  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const lease = this.current(name);
    if (!lease || lease.owner !== owner) return false;
    lease.expiresAt = this.clock.now() + ttlMs;
    return true;
  }

  async release(name: string, owner: string): Promise<boolean> {
    const lease = this.current(name);
    if (!lease || lease.owner !== owner) return false;
    this.leases.delete(name);
    return true;
  }

  async holder(name: string): Promise<string | null> {
    return this.current(name)?.owner ?? null;
  }
}

export class MemoryTakeoverIndex implements TakeoverIndex {
  private readonly entries = new Map<string, number>();

  async add(takeover: HumanTakeover): Promise<void> {
    if (!this.entries.has(takeover.conversationId)) this.entries.set(takeover.conversationId, takeover.since);
  }

  async remove(conversationId: string): Promise<void> {
    this.entries.delete(conversationId);
  }

  async list(): Promise<HumanTakeover[]> {
    return [...this.entries]
      .map(([conversationId, since]) => ({ conversationId, since }))
      .sort((a, b) => a.since - b.since || a.conversationId.localeCompare(b.conversationId));
  }
}

/** The WhatsApp Web board in memory (one process), expiring the status by the injected clock. */
export class MemoryWhatsAppWebBoard implements WhatsAppWebBoard {
  private readonly statuses = new Map<string, { json: string; expiresAt: number }>();
  private readonly requests = new Map<string, string[]>();

  constructor(private readonly clock: Clock) {}

  async setStatus(session: string, status: unknown, ttlMs: number): Promise<void> {
    this.statuses.set(session, { json: JSON.stringify(status), expiresAt: this.clock.now() + ttlMs });
  }

  async getStatus(session: string): Promise<unknown | null> {
    const entry = this.statuses.get(session);
    if (!entry || entry.expiresAt <= this.clock.now()) return null;
    return JSON.parse(entry.json) as unknown;
  }

  async request(session: string, request: WhatsAppWebRequest): Promise<void> {
    const queue = this.requests.get(session) ?? [];
    queue.push(JSON.stringify(request));
    this.requests.set(session, queue);
  }

  async takeRequests(session: string): Promise<WhatsAppWebRequest[]> {
    const queue = this.requests.get(session) ?? [];
    this.requests.delete(session);
    return queue.map((json) => JSON.parse(json) as WhatsAppWebRequest);
  }
}
