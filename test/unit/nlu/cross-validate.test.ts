import { crossValidate, stratifiedFolds } from '../../../src/nlu';
import { FIXTURE } from './fixture';

const LABELS = FIXTURE.map((e) => e.intent);

describe('stratifiedFolds', () => {
  test('every fold holds 1/k of every intent, deterministically', () => {
    const folds = stratifiedFolds(LABELS, 4, 1);
    expect(stratifiedFolds(LABELS, 4, 1)).toEqual(folds);
    for (const intent of new Set(FIXTURE.map((e) => e.intent))) {
      const counts = [0, 0, 0, 0];
      FIXTURE.forEach((e, i) => {
        if (e.intent === intent) counts[folds[i]!]! += 1;
      });
      expect(counts).toEqual([2, 2, 2, 2]);
    }
  });
});

describe('crossValidate', () => {
  const cv = crossValidate(FIXTURE, 4, 1);

  test('returns sane numbers on the fixture', () => {
    expect(cv.accuracy).toBeGreaterThanOrEqual(0.75);
    expect(cv.accuracy).toBeLessThanOrEqual(1);
    expect(cv.macroF1).toBeGreaterThan(0.7);
    expect(Object.keys(cv.perIntent).sort()).toEqual(['bill_mismatch', 'greeting', 'reset_password', 'store_hours']);
    for (const score of Object.values(cv.perIntent)) {
      expect(score.support).toBe(8);
      for (const v of [score.precision, score.recall, score.f1]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });

  test('confusions account for every miss, most frequent first', () => {
    const misses = cv.confusions.reduce((s, c) => s + c.count, 0);
    expect(misses).toBe(Math.round((1 - cv.accuracy) * FIXTURE.length));
    for (let i = 1; i < cv.confusions.length; i++) {
      expect(cv.confusions[i]!.count).toBeLessThanOrEqual(cv.confusions[i - 1]!.count);
    }
    for (const c of cv.confusions) expect(c.expected).not.toBe(c.predicted);
  });

  test('deterministic for the same seed', () => {
    expect(crossValidate(FIXTURE, 4, 1)).toEqual(cv);
  });

  test('rejects bad k', () => {
    expect(() => crossValidate(FIXTURE, 1)).toThrow(RangeError);
    expect(() => crossValidate(FIXTURE.slice(0, 3), 5)).toThrow(RangeError);
  });
});
