import type { LeaseStore } from '../../store/types';
import { decideReconnect, type BackoffOptions } from './reconnect';
import type { SocketFactory, WaSocketLike } from './whatsapp-web.adapter';
import { jidUser, WHATSAPP_WEB_CHANNEL } from './whatsapp-web.codec';

export interface CliLoginOptions {
  socketFactory: SocketFactory;
  leases: LeaseStore;
  session: string;
  /** This run's lease token. */
  owner: string;
  /** Log in by pairing code for this number (digits with country code) instead of the QR. */
  pairingPhone?: string;
  /** Prints a QR for the terminal (the script renders it with `qrcode`). */
  showQr: (qr: string) => Promise<void>;
  /** One line for the person at the terminal. */
  say: (line: string) => void;
  random?: () => number;
  backoff?: BackoffOptions;
  /** Gives up after this many consecutive failed connections. */
  maxAttempts?: number;
  /** How long to hold the lease without a renewal (renewed every third of it while logging in). */
  leaseTtlMs?: number;
}

export type CliLoginResult =
  | { ok: true; me?: string }
  /** `busy`: a running app holds the socket (log in from its console instead). */
  | { ok: false; reason: 'busy' | 'stopped' | 'gave_up'; detail: string };

/**
 * `npm run whatsapp:login`'s logic, over any `SocketFactory` (tests pass the fake socket): takes
 * the socket lease first, so it never opens a second socket beside a running app (it refuses and
 * points at the console instead); shows each QR as it rotates, or asks for a pairing code once the
 * socket is ready; reconnects at once on `restartRequired` (normal right after linking) and after
 * backoff on lost connections; stops on logged out, banned, replaced. Returns once connected: the
 * socket is closed and the lease released, and the login stays in the store for the app.
 */
export async function cliLogin(options: CliLoginOptions): Promise<CliLoginResult> {
  const { leases, session, owner } = options;
  const leaseName = `${WHATSAPP_WEB_CHANNEL}:${session}`;
  const ttl = options.leaseTtlMs ?? 60_000;
  if (!(await leases.acquire(leaseName, owner, ttl))) {
    return {
      ok: false,
      reason: 'busy',
      detail: 'a running app instance holds the WhatsApp Web connection; log in from its console (WhatsApp page)',
    };
  }
  const renew = setInterval(() => void leases.renew(leaseName, owner, ttl).catch(() => false), ttl / 3);
  try {
    return await connectUntilOpen(options);
  } finally {
    clearInterval(renew);
    await leases.release(leaseName, owner).catch(() => false);
  }
}

async function connectUntilOpen(options: CliLoginOptions): Promise<CliLoginResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const random = options.random ?? Math.random;
  let failures = 0;
  let pairingAsked = false;
  for (;;) {
    const socket = await options.socketFactory();
    const outcome = await new Promise<{ open: true; me?: string } | { open: false; code: number | undefined }>(
      (resolve) => {
        socket.ev.on('connection.update', (u) => {
          if (u.qr) {
            void onQr(socket, u.qr).catch((err: unknown) =>
              options.say(`WhatsApp refused the pairing code: ${err instanceof Error ? err.message : String(err)}`),
            );
          }
          if (u.connection === 'open')
            resolve({ open: true, me: socket.user?.id ? jidUser(socket.user.id) : undefined });
          if (u.connection === 'close') {
            const err = u.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined;
            resolve({ open: false, code: err?.output?.statusCode });
          }
        });
      },
    );
    if (outcome.open) {
      options.say(
        `connected${outcome.me ? ` as +${outcome.me}` : ''}; the login is stored (session ${options.session})`,
      );
      socket.end();
      return outcome.me ? { ok: true, me: outcome.me } : { ok: true };
    }
    failures++;
    const decision = decideReconnect(outcome.code, failures, random(), options.backoff);
    if (decision.action === 'stop') {
      return { ok: false, reason: 'stopped', detail: `WhatsApp ended the login: ${decision.reason}` };
    }
    if (decision.delayMs === 0) {
      // Right after linking WhatsApp asks for a restart: not a failure.
      failures = 0;
      options.say('linked; reconnecting to finish the login…');
      continue;
    }
    if (failures >= maxAttempts) {
      return {
        ok: false,
        reason: 'gave_up',
        detail: `no connection after ${failures} attempts (code ${outcome.code})`,
      };
    }
    options.say(
      `connection lost (code ${outcome.code ?? 'none'}); retrying in ${Math.round(decision.delayMs / 1000)} s…`,
    );
    await new Promise((r) => setTimeout(r, decision.delayMs));
  }

  async function onQr(socket: WaSocketLike, qr: string): Promise<void> {
    if (!options.pairingPhone) {
      options.say('scan this QR: WhatsApp ► Linked devices ► Link a device (it changes every ~20 s)');
      await options.showQr(qr);
      return;
    }
    if (pairingAsked || !socket.requestPairingCode) return;
    pairingAsked = true;
    const code = await socket.requestPairingCode(options.pairingPhone);
    options.say(`on the phone: WhatsApp ► Linked devices ► Link with phone number instead, and type ${code}`);
  }
}
