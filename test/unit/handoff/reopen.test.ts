import { afterResolved } from '../../../src/handoff/reopen';

const T = Date.UTC(2025, 0, 6, 3, 0, 0);
const MIN = 60_000;

describe('afterResolved', () => {
  it('reopens within the window, boundary included, and starts over after it', () => {
    expect(afterResolved({ resolvedAt: T, now: T + 10 * MIN, windowMinutes: 30 })).toBe('reopen');
    expect(afterResolved({ resolvedAt: T, now: T + 30 * MIN, windowMinutes: 30 })).toBe('reopen');
    expect(afterResolved({ resolvedAt: T, now: T + 30 * MIN + 1, windowMinutes: 30 })).toBe('new_conversation');
  });

  it('never reopens with a window of 0, nor for a clock that went backwards', () => {
    expect(afterResolved({ resolvedAt: T, now: T, windowMinutes: 0 })).toBe('new_conversation');
    expect(afterResolved({ resolvedAt: T, now: T - 1, windowMinutes: 30 })).toBe('new_conversation');
  });
});
