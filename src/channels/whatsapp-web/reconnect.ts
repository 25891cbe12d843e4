/**
 * What to do when the WhatsApp Web socket closed (pure: no Baileys import). The codes are Baileys
 * 7's `DisconnectReason` values (`lastDisconnect.error.output.statusCode`, a Boom error); they are
 * mirrored here so this module and its tests need no ESM package. `baileys-socket.ts` type-checks
 * them against the real enum.
 */
export const DISCONNECT = {
  loggedOut: 401,
  forbidden: 403,
  /** Also `timedOut`: Baileys uses 408 for both. */
  connectionLost: 408,
  multideviceMismatch: 411,
  connectionClosed: 428,
  connectionReplaced: 440,
  badSession: 500,
  unavailableService: 503,
  restartRequired: 515,
} as const;

/** Why the channel stopped for good (until someone acts in the console or on the CLI). */
export type StopReason = 'logged_out' | 'forbidden' | 'connection_replaced' | 'bad_session' | 'multidevice_mismatch';

export type ReconnectDecision =
  /** Open a new socket after `delayMs` (0 = at once). */
  | { action: 'reconnect'; delayMs: number }
  /**
   * Do not reconnect: a loop would not help and may hurt (a ban, two instances kicking each
   * other). Alert the console and the logs. `clearAuth`: the session is gone; a new QR is needed.
   */
  | { action: 'stop'; reason: StopReason; clearAuth: boolean };

export interface BackoffOptions {
  /** First retry delay; doubles per consecutive failure. */
  baseMs: number;
  /** Upper bound of the delay before jitter. */
  capMs: number;
  /** ± this fraction of the delay is random (0.2 = ±20 %). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 60_000, jitter: 0.2 };

/**
 * The capped exponential delay for the `attempt`-th consecutive failure (1-based), with jitter
 * from `random` (a value in [0, 1)). Never negative, never above `capMs * (1 + jitter)`.
 */
export function backoffDelay(attempt: number, random: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempt));
  const raw = Math.min(options.capMs, options.baseMs * 2 ** Math.min(n - 1, 30));
  const spread = raw * options.jitter * (2 * random - 1);
  return Math.max(0, Math.round(raw + spread));
}

/**
 * The decision for one close: `statusCode` (undefined when Baileys gave none: treated as a lost
 * connection), `attempt` = consecutive failed connections so far including this one.
 *
 * | code | meaning | decision |
 * |---|---|---|
 * | 401 loggedOut | the phone removed this device | stop, wipe the session, new QR needed |
 * | 403 forbidden | refused, most likely a ban | stop, alert |
 * | 440 connectionReplaced | another client took the session | stop (never fight it) |
 * | 500 badSession | the stored session is corrupt | stop, wipe, new QR needed |
 * | 411 multideviceMismatch | the account's multi-device state does not fit | stop, wipe, new QR needed |
 * | 515 restartRequired | normal right after pairing | reconnect at once |
 * | 408 / 428 / 503 / other | lost, closed, timed out, unavailable | reconnect after backoff |
 */
export function decideReconnect(
  statusCode: number | undefined,
  attempt: number,
  random: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): ReconnectDecision {
  switch (statusCode) {
    case DISCONNECT.loggedOut:
      return { action: 'stop', reason: 'logged_out', clearAuth: true };
    case DISCONNECT.forbidden:
      return { action: 'stop', reason: 'forbidden', clearAuth: false };
    case DISCONNECT.connectionReplaced:
      return { action: 'stop', reason: 'connection_replaced', clearAuth: false };
    case DISCONNECT.badSession:
      return { action: 'stop', reason: 'bad_session', clearAuth: true };
    case DISCONNECT.multideviceMismatch:
      return { action: 'stop', reason: 'multidevice_mismatch', clearAuth: true };
    case DISCONNECT.restartRequired:
      return { action: 'reconnect', delayMs: 0 };
    default:
      return { action: 'reconnect', delayMs: backoffDelay(attempt, random, options) };
  }
}

/** The supervisors' alert for a stop, Indonesian first: what happened and what to do. */
export function whatsappWebStopMessage(reason: StopReason): { id: string; en: string } {
  switch (reason) {
    case 'logged_out':
      return {
        id: 'WhatsApp Web terputus: perangkat ini dikeluarkan dari HP. Sambungkan lagi dengan QR baru di halaman WhatsApp.',
        en: 'WhatsApp Web stopped: the phone removed this device. Link it again with a new QR on the WhatsApp page.',
      };
    case 'forbidden':
      return {
        id: 'WhatsApp menolak nomor ini (kemungkinan diblokir). Bot tidak mencoba lagi; periksa nomor di HP.',
        en: 'WhatsApp refused this number (most likely banned). The bot does not retry; check the number on the phone.',
      };
    case 'connection_replaced':
      return {
        id: 'Sesi WhatsApp Web diambil alih oleh klien lain. Bot berhenti agar tidak saling berebut; sambungkan lagi bila perlu.',
        en: 'Another client took over the WhatsApp Web session. The bot stopped rather than fight it; connect again if needed.',
      };
    case 'bad_session':
    case 'multidevice_mismatch':
      return {
        id: 'Sesi WhatsApp Web rusak dan sudah dihapus. Sambungkan lagi dengan QR baru di halaman WhatsApp.',
        en: 'The WhatsApp Web session was corrupt and has been wiped. Link again with a new QR on the WhatsApp page.',
      };
  }
}
