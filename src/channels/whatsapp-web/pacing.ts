/**
 * Pacing of outbound messages per chat (pure). Sending bursts from an unofficial client is one of
 * the things that gets numbers banned, so each chat gets at most `perSecond` messages a second,
 * with a random gap on top, like a person typing.
 */
export interface PacingOptions {
  /** Messages per second per chat, at most. */
  perSecond: number;
  /** Extra random delay per message, up to this many ms. */
  jitterMs: number;
}

export const DEFAULT_PACING: PacingOptions = { perSecond: 2, jitterMs: 400 };

/**
 * When the next message to a chat may leave: at least `1000 / perSecond` ms after the previous
 * one to that chat (`lastSentAt`, undefined for the first), plus `random * jitterMs`; never before
 * `now`. `random` is in [0, 1).
 */
export function nextSendAt(
  lastSentAt: number | undefined,
  now: number,
  random: number,
  options: PacingOptions = DEFAULT_PACING,
): number {
  const gap = 1_000 / Math.max(0.001, options.perSecond);
  const jitter = Math.max(0, Math.min(1, random)) * options.jitterMs;
  if (lastSentAt === undefined) return now;
  return Math.max(now, Math.round(lastSentAt + gap + jitter));
}
