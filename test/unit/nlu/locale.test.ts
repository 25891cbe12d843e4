import { detectLocale, detectLocaleFromTokens, localeEvidence } from '../../../src/nlu/locale';

const TABLE: [string, 'id' | 'en'][] = [
  ['gmn cara bayar?', 'id'],
  ['jam buka toko brp kak', 'id'],
  ['tagihan saya tidak sesuai invoice', 'id'],
  ['internet saya down', 'id'], // code-mixed: Indonesian
  ['wifi sy error dari tadi', 'id'],
  ['tolong cancel order saya', 'id'],
  ['makasih min', 'id'],
  ['thanks ya kak', 'id'],
  ['hi kak', 'id'],
  ['see you kak', 'id'],
  ['routernya mati', 'id'],
  ['sambungkan ke admin', 'id'],
  ['how do I pay my bill?', 'en'],
  ['what time does the store open', 'en'],
  ['my internet is not working', 'en'],
  ['i want to talk to a human', 'en'],
  ['qris payment keeps failing', 'en'],
  ['hi', 'en'],
  ['hello', 'en'],
  ['thanks', 'en'],
  ['thank you so much', 'en'],
  ['wait 5 min', 'en'],
  ['', 'id'], // no evidence → default
  ['ok', 'id'],
  ['E02', 'id'],
  ['😡😡', 'id'], // emoji never decide the language
  ['0812-3456-7890', 'id'],
];

describe('detectLocale', () => {
  test.each(TABLE)('%j → %s', (text, expected) => {
    expect(detectLocale(text)).toBe(expected);
  });

  test('a tie is Indonesian', () => {
    expect(detectLocaleFromTokens(['saya', 'the'])).toBe('id');
  });

  test('placeholders and neutral chat words carry no evidence', () => {
    for (const token of ['_phone_', '_emo_angry_', 'internet', 'wifi', 'ok', 'refund', 'down']) {
      expect(localeEvidence(token)).toBe(0);
    }
  });

  test('Indonesian particles outweigh an English greeting', () => {
    expect(localeEvidence('kak')).toBeGreaterThan(-localeEvidence('hi'));
  });
});
