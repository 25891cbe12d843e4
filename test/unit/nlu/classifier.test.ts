import { seededRng } from '../../../src/domain/clock';
import { shuffleInPlace, SoftmaxClassifier } from '../../../src/nlu/classifier';
import type { SparseVector } from '../../../src/nlu/features';

const vec = (pairs: [number, number][]): SparseVector => ({
  indices: Int32Array.from(pairs.map(([i]) => i)),
  values: Float64Array.from(pairs.map(([, v]) => v)),
});

// Three classes, each signalled by its own feature (0, 1, 2) plus a shared noise feature 3.
const XS = [
  vec([
    [0, 0.9],
    [3, 0.4],
  ]),
  vec([[0, 1]]),
  vec([
    [0, 0.8],
    [3, 0.6],
  ]),
  vec([
    [1, 0.9],
    [3, 0.4],
  ]),
  vec([[1, 1]]),
  vec([
    [1, 0.8],
    [3, 0.6],
  ]),
  vec([
    [2, 0.9],
    [3, 0.4],
  ]),
  vec([[2, 1]]),
  vec([
    [2, 0.8],
    [3, 0.6],
  ]),
];
const YS = [0, 0, 0, 1, 1, 1, 2, 2, 2];

describe('SoftmaxClassifier', () => {
  test('learns separable classes', () => {
    const model = SoftmaxClassifier.train(XS, YS, 3, 4, { epochs: 30 });
    for (const [c, feature] of [
      [0, 0],
      [1, 1],
      [2, 2],
    ] as const) {
      const p = model.predict(vec([[feature, 1]]));
      expect(p.indexOf(Math.max(...p))).toBe(c);
      expect(p[c]).toBeGreaterThan(0.5);
    }
  });

  test('probabilities are over all classes and sum to 1', () => {
    const model = SoftmaxClassifier.train(XS, YS, 3, 4);
    for (const x of [...XS, vec([]), vec([[3, 1]])]) {
      const p = model.predict(x);
      expect(p.length).toBe(3);
      expect(Math.abs(p.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-9);
      for (const v of p) expect(v).toBeGreaterThanOrEqual(0);
    }
  });

  test('the same seed gives the same model; the seed only changes the visiting order', () => {
    const a = SoftmaxClassifier.train(XS, YS, 3, 4, { seed: 7 }).predict(XS[0]!);
    const b = SoftmaxClassifier.train(XS, YS, 3, 4, { seed: 7 }).predict(XS[0]!);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  test('rejects mismatched inputs', () => {
    expect(() => SoftmaxClassifier.train(XS, [0], 3, 4)).toThrow(RangeError);
    expect(() => SoftmaxClassifier.train([XS[0]!], [5], 3, 4)).toThrow(RangeError);
  });
});

describe('shuffleInPlace', () => {
  test('is a deterministic permutation for a seed', () => {
    const a = shuffleInPlace([1, 2, 3, 4, 5, 6], seededRng(3));
    const b = shuffleInPlace([1, 2, 3, 4, 5, 6], seededRng(3));
    expect(a).toEqual(b);
    expect([...a].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
