/**
 * What a customer message after a resolved ticket means (pure).
 *
 * Within `windowMinutes` of the resolve the customer is most likely still on the same problem
 * ("masih belum bisa kak"), so the ticket reopens to the same team's queue; after it, the message
 * starts a fresh conversation with the bot (a new ticket only if the bot hands off again).
 * The boundary is inclusive: a message exactly `windowMinutes` later still reopens.
 * A window of 0 never reopens.
 *
 * ```ts
 * afterResolved({ resolvedAt: t, now: t + 10 * 60_000, windowMinutes: 30 }) // 'reopen'
 * afterResolved({ resolvedAt: t, now: t + 31 * 60_000, windowMinutes: 30 }) // 'new_conversation'
 * ```
 */
export function afterResolved(input: {
  resolvedAt: number;
  now: number;
  windowMinutes: number;
}): 'reopen' | 'new_conversation' {
  if (input.windowMinutes <= 0) return 'new_conversation';
  const elapsed = input.now - input.resolvedAt;
  return elapsed >= 0 && elapsed <= input.windowMinutes * 60_000 ? 'reopen' : 'new_conversation';
}
