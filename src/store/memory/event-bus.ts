import type { LiveEvent } from '../../domain/live-event';
import type { EventBus } from '../types';

/**
 * In-process fan-out (the embedded default: one process). Events are copied through JSON, as
 * they would be through Redis, and delivered on a later tick, so a listener can never run inside
 * (or throw into) the call that published.
 */
export class MemoryEventBus implements EventBus {
  private readonly listeners = new Set<(event: LiveEvent) => void>();

  async publish(event: LiveEvent): Promise<void> {
    const json = JSON.stringify(event);
    for (const listener of [...this.listeners]) {
      setImmediate(() => {
        if (this.listeners.has(listener)) listener(JSON.parse(json) as LiveEvent);
      });
    }
  }

  async subscribe(listener: (event: LiveEvent) => void): Promise<() => void> {
    // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
    const wrapped = (event: LiveEvent) => listener(event);
    this.listeners.add(wrapped);
    return () => void this.listeners.delete(wrapped);
  }

  /** Live subscriptions (tests check that closed streams unsubscribe). */
  get subscriberCount(): number {
    return this.listeners.size;
  }
}
