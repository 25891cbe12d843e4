import {
  chooseOosThreshold,
  classificationReport,
  oosReport,
  quantile,
  withRejection,
  type Prediction,
} from '../../../src/nlu/evaluate';

const p = (expected: string, predicted: string, confidence = 0.9): Prediction => ({ expected, predicted, confidence });

describe('classificationReport', () => {
  // a: 3 examples, 2 right; b: 2 examples, 1 right; one b predicted as a, one a predicted as c.
  const report = classificationReport([p('a', 'a'), p('a', 'a'), p('a', 'c'), p('b', 'b'), p('b', 'a')]);

  test('accuracy is the share of right top intents', () => {
    expect(report.accuracy).toBeCloseTo(3 / 5, 10);
  });

  test('per-intent precision, recall and F1 by hand', () => {
    // a: predicted 3 times, 2 right → P 2/3; recall 2/3. b: predicted once, right → P 1; R 1/2.
    expect(report.perIntent.a).toMatchObject({ support: 3 });
    expect(report.perIntent.a?.precision).toBeCloseTo(2 / 3, 10);
    expect(report.perIntent.a?.recall).toBeCloseTo(2 / 3, 10);
    expect(report.perIntent.b?.precision).toBeCloseTo(1, 10);
    expect(report.perIntent.b?.f1).toBeCloseTo((2 * 1 * 0.5) / 1.5, 10);
  });

  test('macro-F1 averages over labelled intents only (a never-labelled prediction is an error, not a class)', () => {
    expect(Object.keys(report.perIntent)).toEqual(['a', 'b']);
    expect(report.macroF1).toBeCloseTo((2 / 3 + 2 / 3) / 2, 10);
  });

  test('confusions are counted and sorted by count', () => {
    const r = classificationReport([p('x', 'y'), p('x', 'y'), p('y', 'x'), p('x', 'x')]);
    expect(r.confusions).toEqual([
      { expected: 'x', predicted: 'y', count: 2 },
      { expected: 'y', predicted: 'x', count: 1 },
    ]);
  });

  test('no predictions give zeros, not NaN', () => {
    expect(classificationReport([])).toEqual({ accuracy: 0, macroF1: 0, perIntent: {}, confusions: [] });
  });
});

describe('out-of-scope threshold', () => {
  // In scope: confident and right, plus one unsure but right (0.4) and one wrong (0.3).
  // OOS: two with low confidence (0.2, 0.35), one the classifier thinks is in scope at 0.8,
  // one it already labels oos.
  const dev: Prediction[] = [
    ...Array.from({ length: 16 }, () => p('a', 'a', 0.95)),
    ...Array.from({ length: 2 }, () => p('b', 'b', 0.9)),
    p('a', 'a', 0.4),
    p('b', 'a', 0.3),
    p('oos', 'a', 0.2),
    p('oos', 'b', 0.35),
    p('oos', 'a', 0.8),
    p('oos', 'oos', 0.7),
  ];

  test('withRejection relabels only predictions below the threshold', () => {
    expect(withRejection(p('a', 'a', 0.4), 0.5, 'oos').predicted).toBe('oos');
    expect(withRejection(p('a', 'a', 0.5), 0.5, 'oos').predicted).toBe('a');
  });

  test('oosReport counts a rejected in-scope message as wrong', () => {
    const r = oosReport(dev, 0.5, 'oos');
    // In scope: 18 right and confident; the 0.4 one is rejected (wrong); the 0.3 one is wrong anyway.
    expect(r.inScopeAccuracy).toBeCloseTo(18 / 20, 10);
    // OOS: 0.2, 0.35 rejected by the threshold, the labelled one kept → 3 of 4.
    expect(r.oosRecall).toBeCloseTo(3 / 4, 10);
    // Rejections: 3 OOS + the 0.4 and 0.3 in-scope ones → 3 / 5.
    expect(r.oosPrecision).toBeCloseTo(3 / 5, 10);
  });

  test('the chosen threshold rejects the most OOS within the in-scope budget', () => {
    // No threshold: 19/20 in scope. Rejecting below 0.35 costs nothing in scope (the 0.3 one was
    // wrong anyway) and catches 0.2 → recall 2/4. Catching 0.35 too (threshold above 0.35)
    // costs nothing and gives 3/4. Going above 0.4 costs 1/20 = 5 points: over a 1-point budget.
    const r = chooseOosThreshold(dev, 'oos', 0.01);
    expect(r.oosRecall).toBeCloseTo(3 / 4, 10);
    expect(r.inScopeAccuracy).toBeCloseTo(19 / 20, 10);
    expect(r.threshold).toBeGreaterThan(0.35);
    expect(r.threshold).toBeLessThanOrEqual(0.4);
  });

  test('a larger budget buys more recall', () => {
    const r = chooseOosThreshold(dev, 'oos', 0.06);
    expect(r.threshold).toBeGreaterThan(0.4);
    expect(r.inScopeAccuracy).toBeCloseTo(18 / 20, 10);
  });

  test('without OOS examples in dev the threshold is 0', () => {
    expect(
      chooseOosThreshold(
        dev.filter((x) => x.expected !== 'oos'),
        'oos',
      ).threshold,
    ).toBe(0);
  });
});

describe('quantile', () => {
  test('nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted input
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile(values, 1)).toBe(100);
    expect(quantile([], 0.5)).toBe(0);
  });
});
