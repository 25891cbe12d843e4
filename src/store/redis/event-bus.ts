import type Redis from 'ioredis';
import { parseLiveEvent, type LiveEvent } from '../../domain/live-event';
import type { EventBus } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * Redis pub/sub on one channel (`keys.eventsChannel()`). Publishing uses the stores' connection;
 * receiving needs a connection of its own (a subscribed connection can do nothing else), opened at
 * the first `subscribe` and re-subscribed by ioredis after a reconnect. Events published while an
 * instance was disconnected are lost for it (pub/sub keeps nothing); the console re-reads the
 * queue whenever its stream reconnects, so a gap heals itself.
 */
export class RedisEventBus implements EventBus {
  private subscriber: Redis | undefined;
  private ready: Promise<void> | undefined;
  private readonly listeners = new Set<(event: LiveEvent) => void>();

  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async publish(event: LiveEvent): Promise<void> {
    await guard(this.client.publish(this.keys.eventsChannel(), JSON.stringify(event)));
  }

  async subscribe(listener: (event: LiveEvent) => void): Promise<() => void> {
    const wrapped = (event: LiveEvent) => listener(event);
    this.listeners.add(wrapped);
    try {
      await this.connect();
    } catch (err) {
      this.listeners.delete(wrapped);
      throw err;
    }
    return () => void this.listeners.delete(wrapped);
  }

  /** Closes the subscriber connection (the stores' `close`). */
  async close(): Promise<void> {
    const sub = this.subscriber;
    this.subscriber = undefined;
    this.ready = undefined;
    if (!sub) return;
    sub.disconnect();
  }

  private connect(): Promise<void> {
    if (!this.ready) {
      const sub = this.client.duplicate({ connectionName: 'majujaya-cs-bot:events' });
      sub.on('error', () => undefined);
      sub.on('message', (_channel: string, message: string) => {
        const event = parseLiveEvent(message);
        if (!event) return;
        for (const listener of [...this.listeners]) listener(event);
      });
      this.subscriber = sub;
      this.ready = guard(sub.subscribe(this.keys.eventsChannel())).then(() => undefined);
      this.ready.catch(() => {
        // Let the next subscribe try again with a fresh connection.
        if (this.subscriber === sub) {
          this.subscriber = undefined;
          this.ready = undefined;
          sub.disconnect();
        }
      });
    }
    return this.ready;
  }
}
