import { loadConfig } from '../../src/config';
import { seededRng, type Clock } from '../../src/domain/clock';
import { createLogger } from '../../src/observability/logger';
import { startServer, type RunningServer, type ServerOverrides } from '../../src/server';

/**
 * Starts the real app (same wiring as `npm start`) on a free port with quiet logs.
 * `env` overrides environment variables, e.g. `{ REDIS_URL }` or `{ CONTENT_DIR }`.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    seed?: number;
    sseHeartbeatMs?: number;
    telegramRetry?: ServerOverrides['telegramRetry'];
    whatsappRetry?: ServerOverrides['whatsappRetry'];
    whatsappWebSocket?: ServerOverrides['whatsappWebSocket'];
    whatsappWebTiming?: ServerOverrides['whatsappWebTiming'];
    instanceId?: string;
  } = {},
): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    CONTENT_WATCH: 'false',
    NODE_ENV: 'test',
    ...options.env,
  });
  return startServer(config, {
    clock: options.clock,
    rng: seededRng(options.seed ?? 7),
    logger: createLogger({ level: 'silent' }),
    sseHeartbeatMs: options.sseHeartbeatMs,
    telegramRetry: options.telegramRetry,
    whatsappRetry: options.whatsappRetry,
    whatsappWebSocket: options.whatsappWebSocket,
    whatsappWebTiming: options.whatsappWebTiming,
    instanceId: options.instanceId,
  });
}

/** POSTs JSON over a real socket and returns status + parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  // Response bodies are asserted field by field in tests, so `any` is the honest type here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text for the assertion message */
  }
  return { status: res.status, body: parsed };
}
