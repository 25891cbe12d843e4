import type { LeaseStore } from '../../store/types';

export interface SocketOwnerOptions {
  leases: LeaseStore;
  /** The lease name: one per WhatsApp session (number). */
  name: string;
  /** This instance's unique token. */
  owner: string;
  /** The lease lives this long without a renewal (a dead owner is replaced after at most this). */
  ttlMs: number;
  /** How often to try to take the lease or renew it (well below `ttlMs`, e.g. a third). */
  tickMs: number;
  /** Opens the socket: called once this instance holds the lease. */
  start: () => Promise<void>;
  /** Closes the socket: called when the lease is lost (or on `close`). */
  stop: () => Promise<void>;
  /** A store failure while ticking (the next tick tries again). Must not throw. */
  onError?: (err: unknown) => void;
  /** Milliseconds now (tests pass a manual clock). */
  now?: () => number;
}

/**
 * Exactly one instance owns the WhatsApp socket: each instance ticks; a non-owner tries to take
 * the lease (`SET NX PX`), the owner renews it (only while still the owner). The owner that cannot
 * renew (it lost the lease: paused too long, Redis moved on) closes its socket at once, so two
 * sockets never stay open on one number; when the owner dies its lease expires and another
 * instance's next tick takes over. `close` stops the socket and releases the lease for a quick
 * hand-over.
 */
export class SocketOwner {
  private timer?: NodeJS.Timeout;
  private owning = false;
  private ticking?: Promise<void>;
  private closed = false;
  /** When the lease was last taken or renewed (what bounds an owner that cannot reach the store). */
  private heldSince = 0;

  constructor(private readonly options: SocketOwnerOptions) {}

  /** True while this instance holds the lease and its socket was started. */
  get isOwner(): boolean {
    return this.owning;
  }

  /** Ticks now, then every `tickMs`. */
  start(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), this.options.tickMs);
    return this.tick();
  }

  /** One round: take or renew the lease, start or stop the socket accordingly. */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.ticking ??= this.round().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async round(): Promise<void> {
    const { leases, name, owner, ttlMs } = this.options;
    const now = this.options.now ?? Date.now;
    // The lease's TTL counts from when the store ran the command, at the latest: after this.
    const askedAt = now();
    try {
      if (this.owning) {
        const renewed = await leases.renew(name, owner, ttlMs).catch((err: unknown) => {
          // The store is unreachable: keep the socket only while the lease surely still holds
          // (another instance may take it once it expires), then stop.
          if (now() - this.heldSince < ttlMs) throw err;
          this.options.onError?.(err);
          return false;
        });
        if (renewed) this.heldSince = askedAt;
        else await this.lose();
      } else if (await leases.acquire(name, owner, ttlMs)) {
        this.heldSince = askedAt;
        this.owning = true;
        try {
          await this.options.start();
        } catch (err) {
          // Not started means not owning: free the lease so this or another instance retries.
          this.owning = false;
          await leases.release(name, owner).catch(() => false);
          throw err;
        }
      }
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  private async lose(): Promise<void> {
    this.owning = false;
    await this.options.stop();
  }

  /** Stops ticking, closes the socket if open and releases the lease. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.ticking;
    if (this.owning) {
      this.owning = false;
      await this.options.stop();
      await this.options.leases.release(this.options.name, this.options.owner).catch(() => false);
    }
  }
}
