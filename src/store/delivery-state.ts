import type { DeliveryState } from './types';

/** Each state's place: a receipt only moves to a higher one; `failed` is final. */
export const DELIVERY_RANK: Readonly<Record<DeliveryState, number>> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * True when a receipt in `current` (undefined: none yet) should become `next`: forward only
 * (`sent` → `delivered` → `read`), `failed` from anywhere, nothing after `failed`. Status events
 * arrive out of order and twice; this keeps the latest truth. Pure; Redis runs the same rule in Lua.
 */
export function advanceDelivery(current: DeliveryState | undefined, next: DeliveryState): boolean {
  if (current === undefined) return true;
  if (current === 'failed') return false;
  return next === 'failed' || DELIVERY_RANK[next] > DELIVERY_RANK[current];
}
