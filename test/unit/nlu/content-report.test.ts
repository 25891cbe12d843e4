import {
  buildContentReport,
  formatContentReport,
  regressionGate,
  type NluBaseline,
  type ReportExample,
} from '../../../src/nlu/content-report';
import { crossValidate, type CrossValidation } from '../../../src/nlu/cross-validate';
import { FIXTURE } from './fixture';

/** A hand-made run: 3 intents, two of which get mixed up both ways, one sentence confidently so. */
const EXAMPLES: ReportExample[] = [
  { intent: 'bill_mismatch', locale: 'id', text: 'tagihan saya tidak sesuai', where: 'intents/bill_mismatch.yaml:7:7' },
  {
    intent: 'bill_mismatch',
    locale: 'id',
    text: 'sudah bayar tapi tagihan masih ada',
    where: 'intents/bill_mismatch.yaml:8:7',
  },
  { intent: 'bill_mismatch', locale: 'en', text: 'my bill is wrong' },
  { intent: 'payment_failed', locale: 'id', text: 'gagal bayar kak' },
  { intent: 'payment_failed', locale: 'en', text: 'my bill payment did not go through' },
  { intent: 'payment_failed', locale: 'en', text: 'payment failed' },
  { intent: 'greeting', locale: 'id', text: 'halo kak' },
  { intent: 'greeting', locale: 'en', text: 'hello' },
];

const CV: CrossValidation = {
  accuracy: 5 / 8,
  macroF1: 0.6,
  perIntent: {
    bill_mismatch: { precision: 0.5, recall: 1 / 3, f1: 0.4, support: 3 },
    payment_failed: { precision: 0.5, recall: 1 / 3, f1: 0.4, support: 3 },
    greeting: { precision: 1, recall: 1, f1: 1, support: 2 },
  },
  confusions: [
    { expected: 'bill_mismatch', predicted: 'payment_failed', count: 2 },
    { expected: 'payment_failed', predicted: 'bill_mismatch', count: 1 },
  ],
  predictions: [
    { expected: 'bill_mismatch', predicted: 'bill_mismatch', confidence: 0.9 },
    { expected: 'bill_mismatch', predicted: 'payment_failed', confidence: 0.83 },
    { expected: 'bill_mismatch', predicted: 'payment_failed', confidence: 0.41 },
    { expected: 'payment_failed', predicted: 'payment_failed', confidence: 0.95 },
    { expected: 'payment_failed', predicted: 'bill_mismatch', confidence: 0.62 },
    { expected: 'payment_failed', predicted: 'payment_failed', confidence: 0.97 },
    { expected: 'greeting', predicted: 'greeting', confidence: 0.99 },
    { expected: 'greeting', predicted: 'greeting', confidence: 0.98 },
  ],
};

describe('buildContentReport', () => {
  const report = buildContentReport(EXAMPLES, CV, { folds: 4, seed: 1 });

  test('lists every intent, weakest F1 first', () => {
    expect(report.perIntent.map((r) => r.intent)).toEqual(['bill_mismatch', 'payment_failed', 'greeting']);
    expect(report.perIntent[2]).toEqual({ intent: 'greeting', precision: 1, recall: 1, f1: 1, support: 2 });
    expect(report).toMatchObject({ folds: 4, seed: 1, examples: 8, intents: 3, accuracy: 5 / 8 });
  });

  test('finds the confusable pair, both directions summed, with the sentences that went the wrong way', () => {
    expect(report.pairs).toHaveLength(1);
    const [pair] = report.pairs;
    expect(pair).toMatchObject({ a: 'bill_mismatch', b: 'payment_failed', count: 3, aAsB: 2, bAsA: 1 });
    expect(pair!.examples.map((m) => [m.text, m.predicted, m.confidence])).toEqual([
      ['sudah bayar tapi tagihan masih ada', 'payment_failed', 0.83],
      ['my bill payment did not go through', 'bill_mismatch', 0.62],
      ['my bill is wrong', 'payment_failed', 0.41],
    ]);
    expect(buildContentReport(EXAMPLES, CV, { examplesPerPair: 2 }).pairs[0]!.examples).toHaveLength(2);
  });

  test('lists examples that look like another intent’s: misclassified with confidence ≥ the threshold', () => {
    expect(report.lookAlikeConfidence).toBe(0.5);
    expect(report.lookAlikes).toEqual([
      {
        intent: 'bill_mismatch',
        locale: 'id',
        text: 'sudah bayar tapi tagihan masih ada',
        predicted: 'payment_failed',
        confidence: 0.83,
        where: 'intents/bill_mismatch.yaml:8:7',
      },
      {
        intent: 'payment_failed',
        locale: 'en',
        text: 'my bill payment did not go through',
        predicted: 'bill_mismatch',
        confidence: 0.62,
      },
    ]);
    expect(buildContentReport(EXAMPLES, CV, { lookAlikeConfidence: 0.4 }).lookAlikes).toHaveLength(3);
  });

  test('formats lines a person can act on', () => {
    const lines = formatContentReport(report);
    expect(lines[0]).toBe('Cross-validation: 4 folds, seed 1, 8 examples, 3 intents');
    expect(lines).toContain(
      '  bill_mismatch ↔ payment_failed: 3 (2 of bill_mismatch as payment_failed, 1 of payment_failed as bill_mismatch)',
    );
    expect(lines).toContain(
      '  intents/bill_mismatch.yaml:8:7 bill_mismatch [id] "sudah bayar tapi tagihan masih ada" → payment_failed (0.83)',
    );
    expect(lines).toContain('  payment_failed [en] "my bill payment did not go through" → bill_mismatch (0.62)');
    const capped = formatContentReport(report, { maxLookAlikes: 1 });
    expect(capped[capped.length - 1]).toBe('  … and 1 more');
  });

  test('refuses a run over other examples', () => {
    expect(() => buildContentReport(EXAMPLES.slice(1), CV)).toThrow(RangeError);
    expect(() => buildContentReport([...EXAMPLES].reverse(), CV)).toThrow(RangeError);
  });

  test('on a real run, a sentence filed under the wrong intent shows up as a look-alike', () => {
    const planted: ReportExample = {
      intent: 'bill_mismatch',
      locale: 'id',
      text: 'jam buka toko hari sabtu sampai jam berapa',
      where: 'intents/bill_mismatch.yaml:30:7',
    };
    const examples = [...FIXTURE, planted];
    const real = buildContentReport(examples, crossValidate(examples, 4, 1), { folds: 4 });
    expect(real.lookAlikes).toContainEqual(
      expect.objectContaining({
        text: planted.text,
        intent: 'bill_mismatch',
        predicted: 'store_hours',
        where: planted.where,
      }),
    );
    const pair = real.pairs.find((p) => [p.a, p.b].sort().join() === 'bill_mismatch,store_hours');
    expect(pair?.examples.map((m) => m.text)).toContain(planted.text);
  });
});

describe('crossValidate predictions', () => {
  test('one per example, in input order, consistent with the accuracy', () => {
    const cv = crossValidate(FIXTURE, 4, 1);
    expect(cv.predictions.map((p) => p.expected)).toEqual(FIXTURE.map((e) => e.intent));
    const hits = cv.predictions.filter((p) => p.predicted === p.expected).length;
    expect(hits / FIXTURE.length).toBeCloseTo(cv.accuracy, 10);
    for (const p of cv.predictions) {
      expect(p.confidence).toBeGreaterThan(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('regressionGate', () => {
  const baseline: NluBaseline = {
    folds: 5,
    seed: 1,
    accuracy: 0.92,
    macroF1: 0.92,
    tolerance: 0.01,
    updated: '2026-01-01',
  };
  const source = 'intents/nlu-baseline.json';

  test('passes at or above baseline − tolerance, fails below, naming the baseline file', () => {
    expect(regressionGate({ accuracy: 0.93, folds: 5, seed: 1 }, baseline, source).passed).toBe(true);
    expect(regressionGate({ accuracy: 0.91, folds: 5, seed: 1 }, baseline, source).passed).toBe(true);
    const fail = regressionGate({ accuracy: 0.9, folds: 5, seed: 1 }, baseline, source);
    expect(fail).toMatchObject({ passed: false, applied: true });
    expect(fail.floor).toBeCloseTo(0.91, 10);
    expect(fail.message).toContain('intents/nlu-baseline.json');
    expect(fail.message).toContain('90.00%');
  });

  test('is not applied to a run with other folds or seed', () => {
    const verdict = regressionGate({ accuracy: 0.5, folds: 3, seed: 1 }, baseline, source);
    expect(verdict).toMatchObject({ passed: true, applied: false });
    expect(verdict.message).toMatch(/not applied/);
  });
});
