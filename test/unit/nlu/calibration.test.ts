import { seededRng } from '../../../src/domain/clock';
import { softmaxInPlace } from '../../../src/nlu/classifier';
import {
  confidenceBins,
  expectedCalibrationError,
  fitTemperature,
  meanNll,
  type ScoredExample,
} from '../../../src/nlu/calibration';

/**
 * Examples whose labels are drawn from softmax(logits / trueT): a model with those logits is
 * perfectly calibrated at trueT, so fitting must find about trueT.
 */
function sampled(trueT: number, n: number): ScoredExample[] {
  const rng = seededRng(11);
  const out: ScoredExample[] = [];
  for (let i = 0; i < n; i++) {
    const logits = Float64Array.from({ length: 4 }, () => rng.next() * 6 - 3);
    const p = Float64Array.from(logits);
    softmaxInPlace(p, trueT);
    let u = rng.next();
    let label = 0;
    while (label < 3 && u > (p[label] ?? 0)) u -= p[label++] ?? 0;
    out.push({ logits, label });
  }
  return out;
}

describe('fitTemperature', () => {
  test.each([0.5, 1, 2.5])('recovers the temperature the labels were drawn at (T = %p)', (trueT) => {
    const t = fitTemperature(sampled(trueT, 4000));
    expect(t).toBeGreaterThan(trueT * 0.85);
    expect(t).toBeLessThan(trueT * 1.15);
  });

  test('the fitted temperature has the lowest NLL of its neighbours', () => {
    const data = sampled(1.7, 1000);
    const t = fitTemperature(data);
    expect(meanNll(data, t)).toBeLessThanOrEqual(meanNll(data, t * 1.1));
    expect(meanNll(data, t)).toBeLessThanOrEqual(meanNll(data, t / 1.1));
  });

  test('over-confident logits get a temperature above 1, under-confident ones below 1', () => {
    const data = sampled(1, 3000);
    const scaled = (f: number) => data.map((e) => ({ ...e, logits: e.logits.map((z) => z * f) }));
    expect(fitTemperature(scaled(3))).toBeGreaterThan(2);
    expect(fitTemperature(scaled(0.3))).toBeLessThan(0.5);
  });

  test('nothing to fit gives 1', () => {
    expect(fitTemperature([])).toBe(1);
  });
});

describe('expected calibration error', () => {
  test('is the mean gap between confidence and accuracy', () => {
    const outcomes = [
      ...Array.from({ length: 10 }, () => ({ confidence: 0.95, correct: true })), // 100% vs 0.95
      ...Array.from({ length: 10 }, (_, i) => ({ confidence: 0.55, correct: i < 5 })), // 50% vs 0.55
    ];
    expect(expectedCalibrationError(outcomes)).toBeCloseTo(0.05, 10);
  });

  test('is 0 when a bin is right exactly as often as it is confident', () => {
    const outcomes = [true, true, true, false].map((correct) => ({ confidence: 0.75, correct }));
    expect(expectedCalibrationError(outcomes)).toBeCloseTo(0, 10);
  });

  test('weights each bin by its number of predictions', () => {
    // 3 predictions at 0.9, all right (gap 0.1); 1 at 0.3, wrong (gap 0.3): (3·0.1 + 1·0.3) / 4.
    const ece = expectedCalibrationError([
      { confidence: 0.9, correct: true },
      { confidence: 0.9, correct: true },
      { confidence: 0.9, correct: true },
      { confidence: 0.3, correct: false },
    ]);
    expect(ece).toBeCloseTo(0.15, 10);
  });

  test('is 0 for no predictions', () => {
    expect(expectedCalibrationError([])).toBe(0);
  });
});

describe('confidenceBins', () => {
  test('puts confidence 1 in the last bin and 0 in the first', () => {
    const bins = confidenceBins(
      [
        { confidence: 1, correct: true },
        { confidence: 0, correct: false },
        { confidence: 0.25, correct: true },
      ],
      4,
    );
    expect(bins.map((b) => b.count)).toEqual([1, 1, 0, 1]);
    expect(bins[1]).toMatchObject({ from: 0.25, to: 0.5, correct: 1, meanConfidence: 0.25 });
  });
});
