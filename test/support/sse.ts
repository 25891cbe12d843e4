import type { RunningServer } from '../../src/server';
import type { Login } from './console';

/** One server-sent event as received. */
export interface SseEvent {
  event: string;
  // Asserted field by field in tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

/**
 * A real SSE client over a socket (fetch + a streaming body, as a browser's EventSource would
 * read it). `opened` resolves after the server's `ready` frame, i.e. once the subscription is live.
 * `next(pred)` resolves with the first event (already received or still to come) matching `pred`.
 */
export async function openStream(
  app: RunningServer,
  as: Login,
): Promise<{
  status: number;
  contentType: string | null;
  events: SseEvent[];
  next(pred: (e: SseEvent) => boolean): Promise<SseEvent>;
  /** Resolves when the server ends the stream (or the client closes it). */
  ended: Promise<void>;
  close(): void;
}> {
  const abort = new AbortController();
  const res = await fetch(`${app.url}/api/events`, { headers: { cookie: as.cookie }, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters: { pred: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  const deliver = (e: SseEvent) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  };
  const next = (pred: (e: SseEvent) => boolean) =>
    new Promise<SseEvent>((resolve) => {
      const seen = events.find(pred);
      if (seen) return resolve(seen);
      waiters.push({ pred, resolve });
    });
  let ended: Promise<void> = Promise.resolve();
  if (res.ok && res.body) {
    ended = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const lines = frame.split('\n');
            const name = lines.find((l) => l.startsWith('event: '))?.slice(7);
            const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
            if (name && data !== undefined) deliver({ event: name, data: JSON.parse(data) });
          }
        }
      } catch {
        /* aborted */
      }
    })();
    await next((e) => e.event === 'ready');
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    next,
    ended,
    close: () => abort.abort(),
  };
}
