import { trainNlu } from '../../../src/nlu';
import { MAX_ANALYSED_CHARS } from '../../../src/nlu/model';
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
