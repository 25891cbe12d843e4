/**
 * Composition root: read config, start the server, print where it is, stop cleanly on signals.
 * No logic lives here.
 */
import { loadConfig } from './config';
import { isAppError } from './domain/errors';
import { startServer } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  let running;
  try {
    running = await startServer(config);
  } catch (err) {
    if (isAppError(err)) {
      process.stderr.write(`Cannot start: ${err.message}\n`);
      const details = err.details as { errors?: { file: string; line: number; col: number; message: string }[] } | undefined;
      for (const e of details?.errors ?? []) process.stderr.write(`  ${e.file}:${e.line}:${e.col} ${e.message}\n`);
    } else {
      process.stderr.write(`Cannot start: ${(err as Error).stack ?? String(err)}\n`);
    }
    process.exit(1);
  }
  const { url, stores, brain, demoLogins } = running;
  const c = brain().content;
  const lines = [
    '',
    `  MAJU JAYA customer-service bot is running (${config.mode})`,
    `  Web chat:   ${url}/`,
    `  Console:    ${url}/console/   API: ${url}/api/openapi.json`,
    `  Health:     ${url}/healthz   Ready: ${url}/readyz`,
    `  Content:    ${c.intents.length} intents, ${c.templates.size} templates from ${config.contentDir} (version ${c.version}${config.contentWatch ? ', hot reload on' : ''})`,
    stores.kind === 'memory'
      ? '  Store:      in-memory (embedded default: one process, data is lost on restart; set REDIS_URL for production)'
      : '  Store:      Redis',
    ...(config.telegram
      ? [
          config.telegram.mode === 'polling'
            ? '  Telegram:   long polling (local use; one instance per bot token)'
            : `  Telegram:   webhook at ${config.telegram.publicUrl ?? url}/channels/telegram/webhook (npm run telegram:webhook -- set)`,
        ]
      : []),
    ...demoBanner(demoLogins),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, 'shutting down');
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The demo console logins (embedded default only); the password is printed only when it was generated. */
function demoBanner(demo: Awaited<ReturnType<typeof startServer>>['demoLogins']): string[] {
  if (!demo) return [];
  const who = demo.users.map((u) => `    ${u.username.padEnd(11)} ${u.role}${u.teams.length ? ` (teams: ${u.teams.join(', ')})` : ''}`);
  return [
    demo.passwordGenerated
      ? `  Logins:     demo users, password ${demo.password}   (random each start; set DEMO_PASSWORD to choose one)`
      : '  Logins:     demo users, password = DEMO_PASSWORD',
    ...who,
  ];
}

void main();
