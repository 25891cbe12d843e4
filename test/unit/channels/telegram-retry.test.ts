/**
 * The bounded retry transformer on scripted Bot API answers (no network, no real waiting): what is
 * retried, after how long, and when it gives up.
 */
import { HttpError } from 'grammy';
import { boundedRetry } from '../../../src/channels/telegram/retry';

type Answer =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

function run(answers: (Answer | Error)[], options = {}) {
  const waits: number[] = [];
  let calls = 0;
  const prev = async () => {
    const next = answers[calls++];
    if (next instanceof Error) throw next;
    return next!;
  };
  const transformer = boundedRetry(options, async (ms) => {
    waits.push(ms);
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const result = (transformer as any)(prev, 'sendMessage', { chat_id: 1, text: 'x' }) as Promise<Answer>;
  return { result, waits, calls: () => calls };
}

const ok: Answer = { ok: true, result: true };
const tooMany = (s: number): Answer => ({
  ok: false,
  error_code: 429,
  description: 'Too Many Requests',
  parameters: { retry_after: s },
});
const down: Answer = { ok: false, error_code: 502, description: 'Bad Gateway' };

test('429: waits retry_after, then succeeds', async () => {
  const r = run([tooMany(2), ok]);
  expect(await r.result).toEqual(ok);
  expect(r.waits).toEqual([2000]);
});

test('429 asking for longer than the cap fails at once (the caller records it)', async () => {
  const r = run([tooMany(60), ok], { maxRetryAfterMs: 10_000 });
  expect(await r.result).toEqual(tooMany(60));
  expect(r.calls()).toBe(1);
});

test('5xx and network errors back off exponentially, and give up after maxAttempts', async () => {
  const r = run([down, new HttpError('Network request failed', new Error('ECONNRESET')), down, down, ok], {
    maxAttempts: 4,
    baseDelayMs: 100,
  });
  expect(await r.result).toEqual(down);
  expect(r.waits).toEqual([100, 200, 400]);
  expect(r.calls()).toBe(4);
});

test('other errors (400, 403 blocked by the user) are final at once', async () => {
  const blocked: Answer = { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' };
  const r = run([blocked, ok]);
  expect(await r.result).toEqual(blocked);
  expect(r.waits).toEqual([]);
});

test('a network error on the last attempt is thrown', async () => {
  const r = run([new HttpError('Network request failed', new Error('x'))], { maxAttempts: 1 });
  await expect(r.result).rejects.toBeInstanceOf(HttpError);
});
