/**
 * One webhook under test for `bench/telegram.ts`, in its own process (forked with tsx), so the load
 * generator and the fake Bot API (in the parent) do not share an event loop with it.
 *
 * - `app`: the full bot (Redis, or the memory store when `REDIS_URL` is unset), `startServer` with the config `npm start` would read from this
 *   environment (`REDIS_URL`, `TELEGRAM_MODE=webhook`, `TELEGRAM_WEBHOOK_SECRET`,
 *   `TELEGRAM_API_ROOT` at the parent's fake Bot API, `LOG_LEVEL`). Logs go to stdout, which the
 *   parent discards, so their cost is measured as in production.
 * - `echo`: the baseline, a bare grammY bot replying the text back (`webhookCallback(bot,
 *   'express')` with the same secret token, body parser and API root). It is given `botInfo`, so
 *   the first request does not trigger a `getMe` before the secret is even checked.
 *
 * Tells the parent `{ ready: url }` over IPC once it listens, answers `'cpu'` with its CPU time,
 * and closes on `'stop'`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Bot, webhookCallback } from 'grammy';
import { loadConfig } from '../src/config';
import { KEEP_ALIVE_TIMEOUT_MS, startServer } from '../src/server';
import { TELEGRAM_WEBHOOK_PATH } from '../src/http/routes/telegram-channel';

const send = (message: unknown) => process.send?.(message);

async function startEcho(): Promise<{ url: string; close: () => Promise<void> }> {
  const token = process.env.TELEGRAM_BOT_TOKEN ?? '';
  const bot = new Bot(token, {
    client: { apiRoot: process.env.TELEGRAM_API_ROOT },
    botInfo: {
      id: Number(token.split(':')[0]),
      is_bot: true,
      first_name: 'Echo',
      username: 'echo_bench_bot',
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    },
  });
  bot.on('message:text', (ctx) => ctx.reply(ctx.message.text));
  bot.catch(() => undefined);
  const app = express();
  app.post(
    TELEGRAM_WEBHOOK_PATH,
    express.json({ limit: '64kb' }),
    webhookCallback(bot, 'express', { secretToken: process.env.TELEGRAM_WEBHOOK_SECRET }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    // The same keep-alive settings as the app's server, so neither resets idle sockets mid-run.
    s.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    s.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function startApp(): Promise<{ url: string; close: () => Promise<void> }> {
  const running = await startServer(loadConfig({ ...process.env, PORT: '0', CONTENT_WATCH: 'false' }));
  return { url: running.url, close: () => running.close() };
}

async function main(): Promise<void> {
  const role = process.argv[2];
  if (role !== 'app' && role !== 'echo') throw new Error('usage: telegram-target.ts app|echo');
  const target = role === 'app' ? await startApp() : await startEcho();
  process.on('message', (message) => {
    // The parent reads this process's CPU time before and after each phase.
    if (message === 'cpu') send({ cpu: process.cpuUsage() });
    if (message === 'stop') void target.close().finally(() => process.exit(0));
  });
  // The parent died: do not linger.
  process.on('disconnect', () => void target.close().finally(() => process.exit(0)));
  send({ ready: target.url });
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
