import type { Clock } from '../../domain/clock';
import { conversationId } from '../../domain/conversation';
import {
  compareOutboxCursors,
  OUTBOX_DEFAULTS,
  outboxPageSize,
  START_CURSOR,
  type OutboxOptions,
} from '../outbox-cursor';
import type { NewOutboxMessage, OutboxMessage, OutboxStore } from '../types';

/** How often (in clock time) expired outboxes are swept, so the map does not grow without bound. */
const SWEEP_INTERVAL_MS = 60_000;

interface Box {
  messages: OutboxMessage[];
  expiresAt: number;
}

/**
 * Outboxes in a `Map`, with expiry read from the injected clock. Cursors are `<ms>-<seq>` like
 * Redis stream ids, from one process-wide "last id", so they only grow (also when the clock stands
 * still, as a `ManualClock` does, and after an outbox expired).
 */
export class MemoryOutboxStore implements OutboxStore {
  private readonly boxes = new Map<string, Box>();
  private lastMs = 0;
  private lastSeq = 0;
  private nextSweepAt: number;
  private readonly maxLength: number;
  private readonly ttlMs: number;

  constructor(
    private readonly clock: Clock,
    options: OutboxOptions = {},
  ) {
    this.maxLength = Math.max(1, options.maxLength ?? OUTBOX_DEFAULTS.maxLength);
    this.ttlMs = Math.max(1, options.ttlMs ?? OUTBOX_DEFAULTS.ttlMs);
    this.nextSweepAt = clock.now() + SWEEP_INTERVAL_MS;
  }

  async append(channel: string, recipient: string, message: NewOutboxMessage): Promise<string> {
    const now = this.clock.now();
    this.sweep(now);
    const key = conversationId(channel, recipient);
    let box = this.boxes.get(key);
    if (!box || box.expiresAt <= now) {
      box = { messages: [], expiresAt: 0 };
      this.boxes.set(key, box);
    }
    const cursor = this.nextCursor(now);
    box.messages.push({ ...structuredClone(message), cursor });
    if (box.messages.length > this.maxLength) box.messages.splice(0, box.messages.length - this.maxLength);
    box.expiresAt = now + this.ttlMs;
    return cursor;
  }

  async read(
    channel: string,
    recipient: string,
    after?: string,
    limit?: number,
  ): Promise<{ messages: OutboxMessage[]; cursor: string }> {
    const start = after ?? START_CURSOR;
    compareOutboxCursors(start, START_CURSOR); // validates `after`
    const box = this.boxes.get(conversationId(channel, recipient));
    const kept = box && box.expiresAt > this.clock.now() ? box.messages : [];
    const messages = kept
      .filter((m) => compareOutboxCursors(m.cursor, start) > 0)
      .slice(0, outboxPageSize(limit))
      .map((m) => structuredClone(m));
    return { messages, cursor: messages.at(-1)?.cursor ?? start };
  }

  private nextCursor(now: number): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      this.lastSeq = 0;
    } else {
      this.lastSeq += 1;
    }
    return `${this.lastMs}-${this.lastSeq}`;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    for (const [key, box] of this.boxes) if (box.expiresAt <= now) this.boxes.delete(key);
  }
}
