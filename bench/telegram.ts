/**
 * `npm run bench:telegram [-- --duration 20 --rate 500 --chats 2000 --concurrency 32 --redis <url>]`:
 * the Telegram webhook figures of `bench/README.md`, the full app against a bare grammY echo bot in
 * the same run on the same machine.
 *
 * What runs (all on 127.0.0.1):
 * - this process: the load generator (Node's http client, keep-alive) and the fake Bot API
 *   (`test/support/fake-telegram.ts`) that both bots send their replies to, so the time until a
 *   reply reaches "Telegram" is read on one clock;
 * - a private `redis-server` on a free port (`test/support/redis-server.ts`), or `--redis <url>`;
 * - child process `app`: the full bot (`startServer`, Redis store, `TELEGRAM_MODE=webhook`, a
 *   secret, `TELEGRAM_API_ROOT` at the fake), production mode, info logs to /dev/null;
 * - child process `echo`: a bare grammY echo bot (`webhookCallback(bot, 'express')`, same secret
 *   and API root, `botInfo` given so it never calls `getMe`). See `bench/telegram-target.ts`.
 *
 * Each target gets, in turn: a warm-up, an open-loop phase (updates posted at a fixed `--rate`
 * whatever the answers do, the way Telegram delivers a crowd of chats) and a closed-loop phase
 * (`--concurrency` senders posting the next update as soon as the previous one is answered: the
 * most it takes). Every phase uses fresh chats and unique `update_id`s. Measured: the webhook's HTTP
 * response time, the time until the reply's `sendMessage` reaches the fake API ("reply"), achieved
 * updates/s, and the target's CPU time per update. Prints a Markdown table and the ratios; exits 1
 * on any non-2xx answer, failed request or missing reply.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeTelegram, type FakeCall, type FakeTelegram } from '../test/support/fake-telegram';
import { startRedisServer, type TestRedisServer } from '../test/support/redis-server';
import { TELEGRAM_SECRET_HEADER, TELEGRAM_WEBHOOK_PATH } from '../src/http/routes/telegram-channel';
import { textFor, updateFor } from './telegram-updates';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    rate: { type: 'string', default: '500' },
    chats: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    'closed-duration': { type: 'string' },
    redis: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string', default: 'echo,app' },
  },
});
const num = (name: string, raw: string, min: number) => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`--${name} must be a number ≥ ${min} (got ${raw})\n`);
    process.exit(2);
  }
  return n;
};
const DURATION_S = num('duration', values.duration, 1);
const RATE = num('rate', values.rate, 1);
const CHATS = Math.round(num('chats', values.chats, 1));
const WARMUP_S = num('warmup', values.warmup, 0);
const CONCURRENCY = Math.round(num('concurrency', values.concurrency, 1));
const CLOSED_S = num('closed-duration', values['closed-duration'] ?? String(Math.min(DURATION_S, 10)), 1);
/** How long replies may take to arrive after the last answer before they count as missing. */
const DRAIN_MS = 15_000;

const SECRET = 'bench-secret-0123456789abcdef';
/** `memory`: the full app on its in-memory store, a diagnostic (`--only echo,app,memory`): what Redis costs. */
type Role = 'app' | 'echo' | 'memory';
const LABELS: Record<Role, string> = {
  echo: 'grammY echo bot',
  app: 'full app (Redis)',
  memory: 'full app (memory store)',
};
const TOKENS: Record<Role, string> = {
  memory: '7000000003:AAbenchMemoryTokenxxxxxxxxxxxxxxxxxx',
  app: '7000000001:AAbenchAppTokenxxxxxxxxxxxxxxxxxxxxx',
  echo: '7000000002:AAbenchEchoTokenxxxxxxxxxxxxxxxxxxxx',
};

// --- measurement -------------------------------------------------------------------------------

interface PhaseResult {
  role: Role;
  phase: string;
  sent: number;
  ok: number;
  non2xx: Map<number, number>;
  failed: Map<string, number>;
  http: number[];
  reply: number[];
  missing: number;
  /** A few of the updates whose reply never came (round of the chat, text). */
  missingExamples: string[];
  elapsedMs: number;
  /** Open loop: how late the generator posted (its own lag), p99 ms. */
  lagP99?: number;
  cpuMsPerUpdate: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const sortNum = (a: number[]) => [...a].sort((x, y) => x - y);

class Target {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  /** chat id → updates still waiting for their reply (oldest first): when sent, and what they said. */
  private readonly pending = new Map<number, { at: number; text: string; round: number }[]>();
  private waiting = 0;
  private replies: number[] = [];
  private onDrained?: () => void;
  private phaseSeq = 0;
  private nextUpdateId = 1;
  port = 0;

  constructor(
    readonly role: Role,
    readonly child: ChildProcess,
    fake: FakeTelegram,
  ) {
    fake.on('call', (call: FakeCall) => {
      if (call.token !== TOKENS[role] || call.method !== 'sendMessage') return;
      const at = performance.now();
      const queue = this.pending.get(Number(call.params.chat_id));
      const sent = queue?.shift();
      if (sent === undefined) return; // a second part of a reply, or a later message
      this.replies.push(at - sent.at);
      if (--this.waiting === 0) this.onDrained?.();
    });
  }

  cpuMs(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (m: unknown) => {
        const cpu = (m as { cpu?: { user: number; system: number } }).cpu;
        if (!cpu) return;
        this.child.off('message', onMessage);
        resolve((cpu.user + cpu.system) / 1000);
      };
      this.child.on('message', onMessage);
      this.child.send('cpu');
    });
  }

  /** One POST of an update; resolves with its status (0 for a failed request) and response time. */
  private post(body: string): Promise<{ status: number; ms: number; error?: string }> {
    const start = performance.now();
    return new Promise((resolve) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: TELEGRAM_WEBHOOK_PATH,
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            [TELEGRAM_SECRET_HEADER]: SECRET,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) =>
        resolve({ status: 0, ms: performance.now() - start, error: err.code ?? err.name }),
      );
      req.end(body);
    });
  }

  /**
   * Runs one phase: `drive` decides when `send(i)` posts the i-th update (chat `i % CHATS`, round
   * `i / CHATS`, in a chat range no other phase uses), then the replies are awaited (at most `DRAIN_MS`).
   */
  async phase(
    name: string,
    drive: (send: (index: number) => Promise<void>) => Promise<{ lagP99?: number }>,
  ): Promise<PhaseResult> {
    const base = 5_000_000_000 + { app: 0, echo: 1, memory: 2 }[this.role] * 500_000_000 + ++this.phaseSeq * 10_000_000;
    const result: PhaseResult = {
      role: this.role,
      phase: name,
      sent: 0,
      ok: 0,
      non2xx: new Map(),
      failed: new Map(),
      http: [],
      reply: [],
      missing: 0,
      missingExamples: [],
      elapsedMs: 0,
      cpuMsPerUpdate: 0,
    };
    this.replies = [];
    this.pending.clear();
    this.waiting = 0;
    const cpuBefore = await this.cpuMs();
    const send = async (index: number) => {
      const chat = index % CHATS;
      const round = Math.floor(index / CHATS);
      const chatId = base + chat;
      const { text, expectReply } = textFor(chat, round);
      const body = updateFor(this.nextUpdateId++, chatId, chat, round, text);
      result.sent++;
      const sentAt = performance.now();
      if (expectReply) {
        const queue = this.pending.get(chatId) ?? [];
        queue.push({ at: sentAt, text, round });
        this.pending.set(chatId, queue);
        this.waiting++;
      }
      const r = await this.post(body);
      result.http.push(r.ms);
      if (r.status >= 200 && r.status < 300) result.ok++;
      else if (r.status === 0) result.failed.set(r.error ?? 'error', (result.failed.get(r.error ?? 'error') ?? 0) + 1);
      else result.non2xx.set(r.status, (result.non2xx.get(r.status) ?? 0) + 1);
    };
    const start = performance.now();
    const { lagP99 } = await drive(send);
    result.elapsedMs = performance.now() - start;
    result.lagP99 = lagP99;
    if (this.waiting > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DRAIN_MS);
        this.onDrained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.onDrained = undefined;
    }
    result.missing = this.waiting;
    result.missingExamples = [...this.pending.values()]
      .flat()
      .slice(0, 5)
      .map((p) => `round ${p.round}: "${p.text}"`);
    result.reply = this.replies;
    result.cpuMsPerUpdate = ((await this.cpuMs()) - cpuBefore) / result.sent;
    return result;
  }
}

/**
 * Posts updates on a fixed schedule whatever the answers do (open loop) and waits for every answer:
 * `rate`/s for `seconds`, or with `ramp` a rate rising linearly from 0 to `rate` over `seconds`
 * (the warm-up: a cold process hit at full rate at once builds a backlog it needs seconds to clear).
 */
function openLoop(rate: number, seconds: number, ramp = false) {
  return async (send: (index: number) => Promise<void>) => {
    const total = Math.round(ramp ? (rate * seconds) / 2 : rate * seconds);
    /** When update `k` is due, ms after the start. */
    const due = (k: number) => (ramp ? Math.sqrt((2 * k * seconds) / rate) * 1000 : (k * 1000) / rate);
    const inFlight: Promise<void>[] = [];
    const lags: number[] = [];
    const start = performance.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now() - start;
        while (sent < total && due(sent) <= now) {
          lags.push(now - due(sent));
          inFlight.push(send(sent++));
        }
        if (sent >= total) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    await Promise.all(inFlight);
    return { lagP99: quantile(sortNum(lags), 0.99) };
  };
}

/** `concurrency` senders, each posting its next update when the last one is answered, for `seconds`. */
function closedLoop(concurrency: number, seconds: number) {
  return async (send: (index: number) => Promise<void>) => {
    const end = performance.now() + seconds * 1000;
    let next = 0;
    const worker = async () => {
      while (performance.now() < end) await send(next++);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return {};
  };
}

// --- processes ---------------------------------------------------------------------------------

function startTarget(role: Role, env: Record<string, string>, fake: FakeTelegram): Promise<Target> {
  const execArgv = ['--import', 'tsx'];
  if (values['cpu-prof']) execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`);
  const child = fork(path.join(__dirname, 'telegram-target.ts'), [role === 'echo' ? 'echo' : 'app'], {
    execArgv,
    env: {
      PATH: process.env.PATH ?? '',
      TELEGRAM_BOT_TOKEN: TOKENS[role],
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.url,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  // The child answers 'cpu' with its CPU time.
  return new Promise((resolve, reject) => {
    const target = new Target(role, child, fake);
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code} before it was ready`)));
    child.on('message', (m: unknown) => {
      const ready = (m as { ready?: string }).ready;
      if (!ready) return;
      target.port = Number(new URL(ready).port);
      resolve(target);
    });
  });
}

function stopTarget(target: Target): Promise<void> {
  target.agent.destroy();
  if (target.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => target.child.kill('SIGKILL'), 10_000);
    target.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    target.child.send('stop');
  });
}

// --- report ------------------------------------------------------------------------------------

const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const ms = (x: number) => (Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const rateOf = (r: PhaseResult) => r.ok / (r.elapsedMs / 1000);

function problems(r: PhaseResult): string[] {
  const out: string[] = [];
  for (const [status, n] of r.non2xx) out.push(`${r.role} ${r.phase}: ${n} answer(s) with HTTP ${status}`);
  for (const [code, n] of r.failed) out.push(`${r.role} ${r.phase}: ${n} request(s) failed (${code})`);
  if (r.missing) {
    out.push(
      `${r.role} ${r.phase}: ${r.missing} reply(ies) never reached the fake Bot API, e.g. ${r.missingExamples.join(', ')}`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const only = new Set(values.only.split(','));
  const roles = (['echo', 'app', 'memory'] as const).filter((r) => only.has(r));
  const loadBefore = loadavg();
  process.stderr.write(
    `bench:telegram: ${RATE}/s for ${DURATION_S} s (warm-up ${WARMUP_S} s), closed loop ${CONCURRENCY} senders for ${CLOSED_S} s, ${CHATS} chats; load average ${loadBefore}\n`,
  );
  const fake = await startFakeTelegram();
  let redis: TestRedisServer | undefined;
  const targets: Target[] = [];
  const results: PhaseResult[] = [];
  try {
    const redisUrl = roles.includes('app') ? (values.redis ?? (redis = await startRedisServer()).url) : '';
    const production = {
      NODE_ENV: 'production',
      ADMIN_API_TOKEN: 'bench-admin-token-0123456789',
      LOG_LEVEL: values['log-level'],
    };
    const envs: Record<Role, Record<string, string>> = {
      echo: {},
      app: { ...production, REDIS_URL: redisUrl },
      memory: { ...production, ALLOW_MEMORY_STORE_IN_PRODUCTION: 'true' },
    };
    for (const role of roles) targets.push(await startTarget(role, envs[role], fake));
    for (const target of targets) {
      if (WARMUP_S > 0) {
        process.stderr.write(`  ${target.role}: warm-up\n`);
        const warm = await target.phase('warm-up', openLoop(RATE, WARMUP_S, true));
        if (problems(warm).length) results.push(warm);
      }
      process.stderr.write(`  ${target.role}: open loop ${RATE}/s\n`);
      results.push(await target.phase(`open loop ${RATE}/s`, openLoop(RATE, DURATION_S)));
      process.stderr.write(`  ${target.role}: closed loop ×${CONCURRENCY}\n`);
      results.push(await target.phase(`closed loop ×${CONCURRENCY}`, closedLoop(CONCURRENCY, CLOSED_S)));
    }
  } finally {
    await Promise.all(targets.map(stopTarget));
    await fake.stop();
    await redis?.stop();
  }

  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  out(
    '| target | phase | updates | achieved updates/s | HTTP p50 / p99 ms | reply p50 / p99 ms | CPU ms / update | generator lag p99 ms |',
  );
  out('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const h = sortNum(r.http);
    const e = sortNum(r.reply);
    out(
      `| ${LABELS[r.role]} | ${r.phase} | ${r.sent} | ${rateOf(r).toFixed(0)} | ${ms(quantile(h, 0.5))} / ${ms(quantile(h, 0.99))} | ${ms(quantile(e, 0.5))} / ${ms(quantile(e, 0.99))} | ${r.cpuMsPerUpdate.toFixed(2)} | ${r.lagP99 === undefined ? '–' : ms(r.lagP99)} |`,
    );
  }
  const find = (role: Role, closed: boolean) =>
    results.find((r) => r.role === role && r.phase.startsWith(closed ? 'closed' : 'open'));
  const [appOpen, echoOpen, appClosed, echoClosed] = [
    find('app', false),
    find('echo', false),
    find('app', true),
    find('echo', true),
  ];
  if (appOpen && echoOpen && appClosed && echoClosed) {
    const p99 = (r: PhaseResult) => quantile(sortNum(r.http), 0.99);
    const ratio = rateOf(appClosed) / rateOf(echoClosed);
    out('');
    out(
      `Max throughput, app ÷ echo: **×${ratio.toFixed(2)}** (${rateOf(appClosed).toFixed(0)} / ${rateOf(echoClosed).toFixed(0)} updates/s; target ≥ ×0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'}). ` +
        `HTTP p99 at ${RATE}/s, app ÷ echo: ×${(p99(appOpen) / p99(echoOpen)).toFixed(2)}; app p99 ${ms(p99(appOpen))} ms (target < 50 ms: ${p99(appOpen) < 50 ? 'met' : 'NOT met'}).`,
    );
  }
  out('');
  out(
    `Fake Bot API calls: ${fake.calls.length} (sendMessage ${fake.callsOf('sendMessage').length}). Load average ${loadBefore} before, ${loadavg()} after (1/5/15 min, ${os.cpus().length} cores).`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);

  const errors = results.flatMap(problems);
  if (errors.length) {
    process.stderr.write(`\nbench:telegram FAILED:\n${errors.map((e) => `  - ${e}`).join('\n')}\n`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
