import { stem, stemTokens } from '../../../src/nlu/stem';
import { tokenize } from '../../../src/nlu/tokenize';

describe('tokenize', () => {
  test('splits normalized text on whitespace, keeping placeholders and apostrophes whole', () => {
    expect(tokenize("saya  _phone_ don't")).toEqual(['saya', '_phone_', "don't"]);
  });
  test('blank text has no tokens', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   ')).toEqual([]);
  });
});

describe('stem', () => {
  test.each([
    ['pembayaran', 'bayar'],
    ['tagihannya', 'tagih'],
    ['terputus', 'putus'],
    ['pengiriman', 'kirim'],
    ['dikirim', 'kirim'],
    ['kebakaran', 'bakar'],
    ['internetnya', 'internet'], // loanword: "-nya" removed by our fallback
    ['routernya', 'router'],
    ['berapa', 'berapa'], // question words survive (no stopword removal)
    ['mau', 'mau'],
    ['tanya', 'tanya'],
  ])('id: %s → %s', (word, expected) => {
    expect(stem(word, 'id')).toBe(expected);
  });

  test.each([
    ['payments', 'payment'],
    ['hacked', 'hack'],
    ['disappointed', 'disappoint'],
  ])('en: %s → %s', (word, expected) => {
    expect(stem(word, 'en')).toBe(expected);
  });

  test('placeholders, codes and numbers are left alone', () => {
    expect(stemTokens(['_phone_', 'e02', '100', "don't"], 'en')).toEqual(['_phone_', 'e02', '100', "don't"]);
  });

  test('the same word gives the same stem every time (memoized)', () => {
    expect(stem('pelanggan', 'id')).toBe(stem('pelanggan', 'id'));
    expect(stem('pelanggan', 'id')).toBe('langgan');
  });
});
