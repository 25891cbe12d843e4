import { SocketOwner } from '../../../src/channels/whatsapp-web/socket-owner';
import { ManualClock } from '../../../src/domain/clock';
import { AppError } from '../../../src/domain/errors';
import { MemoryLeaseStore } from '../../../src/store/memory/whatsapp-web';
import type { LeaseStore } from '../../../src/store/types';

const TTL = 1_000;

/** Memory leases whose every call can be made to fail, like a Redis that went away. */
class FlakyLeases implements LeaseStore {
  down = false;
  constructor(private readonly inner: LeaseStore) {}
  private check(): void {
    if (this.down) throw new AppError('STORE_UNAVAILABLE');
  }
  async acquire(name: string, owner: string, ttlMs: number) {
    this.check();
    return this.inner.acquire(name, owner, ttlMs);
  }
  async renew(name: string, owner: string, ttlMs: number) {
    this.check();
    return this.inner.renew(name, owner, ttlMs);
  }
  async release(name: string, owner: string) {
    this.check();
    return this.inner.release(name, owner);
  }
  async holder(name: string) {
    this.check();
    return this.inner.holder(name);
  }
}

function setup(start: () => Promise<void> = async () => undefined) {
  const clock = new ManualClock(1_000_000);
  const leases = new FlakyLeases(new MemoryLeaseStore(clock));
  const events: string[] = [];
  const errors: unknown[] = [];
  const owner = new SocketOwner({
    leases,
    name: 'whatsapp-web:main',
    owner: 'A',
    ttlMs: TTL,
    tickMs: 100,
    now: () => clock.now(),
    start: async () => {
      events.push('start');
      await start();
    },
    stop: async () => void events.push('stop'),
    onError: (err) => errors.push(err),
  });
  return { clock, leases, owner, events, errors };
}

describe('WhatsApp Web socket owner', () => {
  it('keeps the socket through a short store outage, and closes it once the lease may have expired', async () => {
    const { clock, leases, owner, events, errors } = setup();
    await owner.tick();
    expect(owner.isOwner).toBe(true);
    leases.down = true;
    clock.advance(TTL / 2);
    await owner.tick();
    // Still inside the TTL of the last renewal: nobody else can hold the lease yet.
    expect(owner.isOwner).toBe(true);
    expect(events).toEqual(['start']);
    expect(errors).toHaveLength(1);
    clock.advance(TTL / 2);
    await owner.tick();
    // Another instance may own it now: never two sockets on one number.
    expect(owner.isOwner).toBe(false);
    expect(events).toEqual(['start', 'stop']);
    leases.down = false;
    await owner.tick();
    expect(owner.isOwner).toBe(true);
    expect(events).toEqual(['start', 'stop', 'start']);
  });

  it('a socket that fails to start frees the lease and is tried again at the next tick', async () => {
    let fail = true;
    const { leases, owner, events, errors } = setup(async () => {
      if (fail) throw new Error('boom');
    });
    await owner.tick();
    expect(owner.isOwner).toBe(false);
    expect(await leases.holder('whatsapp-web:main')).toBeNull();
    expect(errors).toHaveLength(1);
    fail = false;
    await owner.tick();
    expect(owner.isOwner).toBe(true);
    expect(events).toEqual(['start', 'start']);
  });
});
