import type { Clock } from '../../domain/clock';
import type { DeliveryReceipt, DeliveryReceiptStore, DeliveryState } from '../types';
import { advanceDelivery } from '../delivery-state';

/** Delivery receipts in memory, expiring by the injected clock. */
export class MemoryReceiptStore implements DeliveryReceiptStore {
  private readonly receipts = new Map<string, { receipt: DeliveryReceipt; expiresAt: number }>();
  private readonly latestOf = new Map<string, { messageId: string; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  private current(messageId: string): DeliveryReceipt | undefined {
    const entry = this.receipts.get(messageId);
    if (entry && entry.expiresAt <= this.clock.now()) {
      this.receipts.delete(messageId);
      return undefined;
    }
    return entry?.receipt;
  }

  private write(
    messageId: string,
    conversationId: string,
    state: DeliveryState,
    at: number,
    ttlMs: number,
    makeLatest: boolean,
  ): { receipt: DeliveryReceipt; advanced: boolean } {
    const expiresAt = this.clock.now() + ttlMs;
    const before = this.current(messageId);
    const advanced = advanceDelivery(before?.state, state);
    const next = advanced ? { messageId, conversationId, state, at } : before!;
    this.receipts.set(messageId, { receipt: next, expiresAt });
    const latest = this.latestOf.get(conversationId);
    if (makeLatest || !latest || latest.expiresAt <= this.clock.now()) {
      this.latestOf.set(conversationId, { messageId, expiresAt });
    }
    return { receipt: { ...next }, advanced };
  }

  async sent(messageId: string, conversationId: string, at: number, ttlMs: number): Promise<void> {
    this.write(messageId, conversationId, 'sent', at, ttlMs, true);
  }

  async update(
    messageId: string,
    conversationId: string,
    state: DeliveryState,
    at: number,
    ttlMs: number,
  ): Promise<{ receipt: DeliveryReceipt; advanced: boolean }> {
    return this.write(messageId, conversationId, state, at, ttlMs, false);
  }

  async latest(conversationId: string): Promise<DeliveryReceipt | null> {
    const latest = this.latestOf.get(conversationId);
    if (!latest || latest.expiresAt <= this.clock.now()) return null;
    const receipt = this.current(latest.messageId);
    return receipt ? { ...receipt } : null;
  }
}
