/**
 * `npm run user:add -- --username <name> --role <role> [--team <team>]… [--display-name <name>]`
 *
 * Adds a console user to the Redis store named by `REDIS_URL`. The password is read from stdin:
 * typed at a hidden prompt (twice) in a terminal, or the first line of piped input
 * (`printf '%s\n' "$PW" | npm run user:add -- …`). It is never accepted as an argument: arguments
 * end up in shell history and in `ps` output for every user of the machine.
 *
 * Exit codes: 0 added; 1 refused (name taken, invalid values, Redis unreachable); 2 usage
 * (bad arguments, no REDIS_URL).
 */
import { parseArgs } from 'node:util';
import { ROLES, isRole } from '../src/auth/roles';
import { AuthService } from '../src/auth/service';
import { loadStoreConfig } from '../src/config';
import { loadContent } from '../src/content/load';
import { systemClock } from '../src/domain/clock';
import { isAppError } from '../src/domain/errors';
import { createStores } from '../src/store';

const USAGE = `usage: npm run user:add -- --username <name> --role <${ROLES.join('|')}> [--team <team>]… [--display-name <name>]
  The password is read from stdin (a hidden prompt in a terminal, else the first line of input).
  Needs REDIS_URL: users live in Redis. Agents need at least one --team (several: repeat it or use commas).`;

interface Args {
  username: string;
  role: (typeof ROLES)[number];
  teams: string[];
  displayName?: string;
}

class UsageError extends Error {}

function parseCli(argv: readonly string[]): Args {
  if (argv.some((a) => a === '--password' || a.startsWith('--password=') || a === '-p')) {
    throw new UsageError(
      'passwords are never taken from the command line (shell history, `ps`); pipe it on stdin or type it at the prompt',
    );
  }
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        username: { type: 'string' },
        role: { type: 'string' },
        team: { type: 'string', multiple: true },
        'display-name': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) throw new UsageError('');
  if (!values.username) throw new UsageError('--username is required');
  if (!values.role) throw new UsageError('--role is required');
  if (!isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const teams = (values.team ?? [])
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  return { username: values.username, role: values.role, teams, displayName: values['display-name'] };
}

/** The password: hidden prompt (typed twice) on a terminal, else the first line of stdin. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden('Password: ');
    const second = await promptHidden('Repeat password: ');
    if (first !== second) throw new UsageError('the two passwords differ');
    return first;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd();
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (result: Error | string) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (typeof result === 'string') resolve(result);
      else reject(result);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Warns (does not refuse) about teams that `intents/routing.yaml` does not define: no ticket would reach them. */
async function warnUnknownTeams(contentDir: string, teams: readonly string[]): Promise<void> {
  try {
    const result = await loadContent(contentDir);
    if (!result.ok) return;
    const known = Object.keys(result.content.routing.teams);
    for (const team of teams.filter((t) => !known.includes(t))) {
      process.stderr.write(`warning: team "${team}" is not in the routing file (teams: ${known.join(', ')})\n`);
    }
  } catch {
    // No readable content here: nothing to compare with.
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  let redisUrl: string | undefined;
  let contentDir: string;
  try {
    args = parseCli(argv);
    ({ redisUrl, contentDir } = loadStoreConfig(process.env));
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) process.stderr.write(`user:add: ${err.message}\n`);
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`user:add: ${(err as Error).message}\n`);
    return 2;
  }
  if (!redisUrl) {
    process.stderr.write(
      'user:add: REDIS_URL is not set. Without it the app keeps users in the memory of the running process,\n' +
        'which this command cannot reach (and which forgets them on restart); the embedded default creates\n' +
        'the demo logins instead. Set REDIS_URL to the Redis the app uses.\n',
    );
    return 2;
  }
  await warnUnknownTeams(contentDir, args.teams);

  let password: string;
  try {
    password = await readPassword();
  } catch (err) {
    process.stderr.write(`user:add: ${(err as Error).message}\n`);
    return 2;
  }

  let stores;
  try {
    stores = await createStores({ redisUrl });
  } catch (err) {
    process.stderr.write(`user:add: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const auth = new AuthService({ ...stores, clock: systemClock, sessionTtlMs: 3_600_000 });
    const user = await auth.createUser({ ...args, password });
    const teams = user.teams.length ? `, teams: ${user.teams.join(', ')}` : '';
    process.stdout.write(`Added ${user.username} ("${user.displayName}", ${user.role}${teams}).\n`);
    return 0;
  } catch (err) {
    if (isAppError(err) && err.code === 'USER_EXISTS') {
      process.stderr.write(`user:add: a user named "${args.username.trim().toLowerCase()}" already exists\n`);
    } else if (isAppError(err) && err.code === 'VALIDATION_FAILED') {
      for (const p of err.details as { field: string; message: string }[]) {
        process.stderr.write(`user:add: ${p.field}: ${p.message}\n`);
      }
    } else {
      process.stderr.write(`user:add: ${(err as Error).message}\n`);
    }
    return 1;
  } finally {
    await stores.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`user:add: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
