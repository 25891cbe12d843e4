import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Kills the server and removes its working directory. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Kills the server and starts a new one on the same port (nothing is kept: no RDB, no AOF).
   * `whileDown` runs after the old process has exited and before the new one starts, so a test
   * can issue commands against a Redis that is really down.
   */
  restart(whileDown?: () => Promise<void> | void): Promise<void>;
}

const READY_TIMEOUT_MS = 5_000;

/**
 * Spawns a private `redis-server` on a free localhost port (never the machine's 6379, never a
 * shared server, so tests may use any keys), with persistence off. Each test file starts its own.
 */
export async function startRedisServer(): Promise<TestRedisServer> {
  assertInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'mj-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  // A free port can be taken between probing and binding; try a few.
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    child = await launch(port, dir).catch(() => undefined);
  }
  if (!child) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error('redis-server did not start on a free port (see its output above)');
  }
  let current: ChildProcess | undefined = child;
  const killOnExit = () => current?.kill('SIGKILL');
  process.once('exit', killOnExit);

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await kill(current);
      current = undefined;
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
    async restart(whileDown) {
      await kill(current);
      current = undefined;
      await whileDown?.();
      current = await launch(port, dir);
    },
  };
}

function assertInstalled(): void {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not installed: run `apt-get install redis-server` (`npm test` installs it for you)',
    );
  }
}

/** Binds port 0 on localhost, reads the port the OS chose, and frees it again. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`redis-server exited at startup on port ${port}`);
    if (await answersPing(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await kill(child);
  throw new Error(`redis-server did not answer PING on port ${port} within ${READY_TIMEOUT_MS} ms`);
}

/** One raw PING over TCP (no client library, no reconnect logic to clean up). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** SIGKILL (like a crash; nothing to save anyway) and wait until the process is gone. */
function kill(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
