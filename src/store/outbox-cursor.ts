import { AppError } from '../domain/errors';

/**
 * Outbox limits and cursors, shared by both outbox implementations and the HTTP route.
 *
 * A cursor is `<ms>-<seq>`, the shape of a Redis stream id: the time of the append (Redis's own
 * clock for the Redis store, the injected clock for the memory store) and a sequence number that
 * orders appends within one millisecond. Cursors only grow, so they stay ordered after an outbox
 * expired and was started again. Clients treat them as opaque strings.
 */
export const OUTBOX_DEFAULTS = {
  /** Messages kept per recipient; older ones are dropped on append. */
  maxLength: 100,
  /** An outbox is forgotten this long after its last append (3 days: a reply sent on Friday evening is still there on Monday). */
  ttlMs: 3 * 24 * 60 * 60_000,
  /** Messages per read when the caller gives no limit. */
  pageSize: 50,
  /** The largest `limit` a read accepts. */
  maxPageSize: 100,
} as const;

/** The cursor before every message: reading after it returns everything kept. */
export const START_CURSOR = '0-0';

/** What a cursor looks like (also the route's validation). */
export const OUTBOX_CURSOR_PATTERN = /^\d{1,16}-\d{1,16}$/;

/** `[ms, seq]` of a cursor; `VALIDATION_FAILED` for anything else. */
export function parseOutboxCursor(cursor: string): [number, number] {
  if (!OUTBOX_CURSOR_PATTERN.test(cursor)) {
    throw new AppError('VALIDATION_FAILED', 'after: not a cursor returned by this API', [
      { field: 'after', message: 'not a cursor returned by this API' },
    ]);
  }
  const [ms, seq] = cursor.split('-').map(Number) as [number, number];
  return [ms, seq];
}

/** Negative when `a` comes before `b`, 0 when equal, positive after. */
export function compareOutboxCursors(a: string, b: string): number {
  const [am, as] = parseOutboxCursor(a);
  const [bm, bs] = parseOutboxCursor(b);
  return am - bm || as - bs;
}

/** A read's page size: the default when absent, otherwise clamped to 1…`maxPageSize`. */
export function outboxPageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return OUTBOX_DEFAULTS.pageSize;
  return Math.min(OUTBOX_DEFAULTS.maxPageSize, Math.max(1, Math.floor(limit)));
}

/** The outbox limits a store is created with. */
export interface OutboxOptions {
  maxLength?: number;
  ttlMs?: number;
}
