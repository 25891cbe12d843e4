import { trainNlu } from '../../../src/nlu';
import { DEFAULT_CALIBRATION_FOLDS, MAX_ANALYSED_CHARS } from '../../../src/nlu/model';
import { FIXTURE, HELD_OUT } from './fixture';

describe('trainNlu / parse', () => {
  const model = trainNlu(FIXTURE, { seed: 1 });

  test('knows every intent of the examples', () => {
    expect([...model.intents].sort()).toEqual(['bill_mismatch', 'greeting', 'reset_password', 'store_hours']);
  });

  test.each(HELD_OUT)('ranks the held-out paraphrase %j as %s', (text, intent) => {
    expect(model.parse(text).ranking[0]?.intent).toBe(intent);
  });

  test('the ranking covers all intents, best first, confidences summing to 1', () => {
    for (const [text] of HELD_OUT) {
      const { ranking } = model.parse(text);
      expect(ranking.map((r) => r.intent).sort()).toEqual([...model.intents].sort());
      for (let i = 1; i < ranking.length; i++) {
        expect(ranking[i]!.confidence).toBeLessThanOrEqual(ranking[i - 1]!.confidence);
      }
      expect(Math.abs(ranking.reduce((s, r) => s + r.confidence, 0) - 1)).toBeLessThan(1e-9);
    }
  });

  test('the same seed gives an identical ranking', () => {
    const again = trainNlu(FIXTURE, { seed: 1 });
    for (const [text] of HELD_OUT) expect(again.parse(text).ranking).toEqual(model.parse(text).ranking);
  });

  test('parse reports the raw text, the normalized text, the locale and the rule hits', () => {
    const r = model.parse('Tagihan sy kok mahal bgt!!! kecewa');
    expect(r.text).toBe('Tagihan sy kok mahal bgt!!! kecewa');
    expect(r.normalized).toBe('tagihan saya kok mahal banget kecewa');
    expect(r.locale).toBe('id');
    expect(r.rules).toEqual([{ rule: 'complaint_tone', term: 'kecewa' }]);
  });

  test('a locale hint wins over detection', () => {
    expect(model.parse('hello', 'id').locale).toBe('id');
    expect(model.parse('hello').locale).toBe('en');
  });

  test('text with no known feature still gets a full ranking', () => {
    const { ranking } = model.parse('😀');
    expect(ranking).toHaveLength(4);
    expect(Math.abs(ranking.reduce((s, r) => s + r.confidence, 0) - 1)).toBeLessThan(1e-9);
  });

  test('a wall of text is analysed only up to MAX_ANALYSED_CHARS, but reported whole', () => {
    const text = `router saya berasap ${'bla '.repeat(MAX_ANALYSED_CHARS)}kecewa`;
    const r = model.parse(text);
    expect(r.text).toBe(text);
    expect(r.normalized.length).toBeLessThanOrEqual(MAX_ANALYSED_CHARS);
    expect(r.rules).toEqual([{ rule: 'emergency', term: 'berasap' }]); // "kecewa" is past the cap
  });

  test('no examples: no intents and empty rankings, rules still run', () => {
    const empty = trainNlu([]);
    expect(empty.intents).toEqual([]);
    const r = empty.parse('mau bicara dengan cs');
    expect(r.ranking).toEqual([]);
    expect(r.rules).toEqual([{ rule: 'human_request', term: 'bicara dengan cs' }]);
  });

  test('one intent: always that intent with confidence 1', () => {
    const single = trainNlu(FIXTURE.filter((e) => e.intent === 'greeting'));
    expect(single.parse('apa saja').ranking).toEqual([{ intent: 'greeting', confidence: 1 }]);
  });
});

describe('calibration', () => {
  const calibrated = trainNlu(FIXTURE, { seed: 1 });
  const raw = trainNlu(FIXTURE, { seed: 1, calibrationFolds: 0 });

  test('a temperature is fitted by cross-validation unless calibration is off', () => {
    expect(raw.temperature).toBe(1);
    expect(calibrated.temperature).not.toBe(1);
    expect(calibrated.temperature).toBeGreaterThan(0);
    expect(trainNlu(FIXTURE, { seed: 1 }).temperature).toBe(calibrated.temperature); // deterministic
  });

  test('the temperature moves confidences, never the order of the ranking', () => {
    for (const [text] of HELD_OUT) {
      const a = calibrated.parse(text).ranking;
      const b = raw.parse(text).ranking;
      expect(a.map((r) => r.intent)).toEqual(b.map((r) => r.intent));
      expect(a[0]?.confidence).not.toBeCloseTo(b[0]?.confidence ?? 0, 6);
    }
  });

  test('withTemperature shares the weights: same scores, confidences as if trained with that temperature', () => {
    const fixed = trainNlu(FIXTURE, { seed: 1, temperature: 0.7 });
    const moved = raw.withTemperature(0.7);
    expect(moved.temperature).toBe(0.7);
    for (const [text] of HELD_OUT) {
      expect(Array.from(moved.scores(text))).toEqual(Array.from(raw.scores(text)));
      expect(moved.parse(text).ranking).toEqual(fixed.parse(text).ranking);
    }
  });

  test('scores are aligned with intents', () => {
    const [text, intent] = HELD_OUT[0]!;
    const scores = raw.scores(text);
    expect(scores).toHaveLength(raw.intents.length);
    const best = scores.indexOf(Math.max(...scores));
    expect(raw.intents[best]).toBe(intent);
  });

  test('progress is reported by stage', () => {
    const stages: string[] = [];
    trainNlu(FIXTURE, { seed: 1, onProgress: (p) => stages.push(p.stage) });
    expect(stages[0]).toBe('features');
    expect(stages.filter((s) => s === 'calibration')).toHaveLength(DEFAULT_CALIBRATION_FOLDS);
    expect(stages[stages.length - 1]).toBe('training');
  });

  test('model stats give the vocabulary and weight bytes', () => {
    expect(raw.stats.features).toBeGreaterThan(50);
    expect(raw.stats.weightBytes).toBe((raw.stats.features * raw.intents.length + raw.intents.length) * 8);
  });
});

describe('pipeline switches (ablation)', () => {
  test('without the lexicon chat slang is not expanded, so a slang-only paraphrase loses its evidence', () => {
    const text = 'gmn cr reset pw sy';
    const full = trainNlu(FIXTURE, { seed: 1, calibrationFolds: 0 });
    const bare = trainNlu(FIXTURE, { seed: 1, calibrationFolds: 0, pipeline: { lexicon: false } });
    const conf = (m: typeof full) => m.parse(text).ranking.find((r) => r.intent === 'reset_password')?.confidence ?? 0;
    expect(conf(full)).toBeGreaterThan(conf(bare));
  });

  test('without stemming, affixed forms no longer share a feature with their root', () => {
    const stemmed = trainNlu(FIXTURE, { seed: 1, calibrationFolds: 0 });
    const unstemmed = trainNlu(FIXTURE, { seed: 1, calibrationFolds: 0, pipeline: { stemming: false } });
    expect(unstemmed.stats.features).toBeGreaterThan(stemmed.stats.features);
  });
});
