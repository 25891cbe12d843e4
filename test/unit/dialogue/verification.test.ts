import type { VerificationField } from '../../../src/content/model';
import { extractFields, formatFieldList, isDecline } from '../../../src/dialogue/verification';

const customerNumber: VerificationField = {
  id: 'customer_number',
  label: { id: 'nomor pelanggan MAJU NET (10 digit)', en: 'MAJU NET customer number (10 digits)' },
  pattern: '\\b\\d{10}\\b',
};
const invoice: VerificationField = {
  id: 'invoice',
  label: { id: 'nomor invoice', en: 'invoice number' },
  pattern: 'INV-\\d{6}',
};
const email: VerificationField = {
  id: 'email',
  label: { id: 'email terdaftar', en: 'registered email' },
  pattern: '\\S+@\\S+\\.\\w+',
};

describe('extractFields', () => {
  test.each([
    ['1234567890', { customer_number: '1234567890' }, []],
    ['no pelanggan saya 1234567890 ya kak', { customer_number: '1234567890' }, []],
    ['1234567890 atau 0987654321', { customer_number: '1234567890' }, []],
    ['123456789', {}, ['customer_number']],
    ['12345678901', {}, ['customer_number']],
    ['lupa kak', {}, ['customer_number']],
  ])('%j → %j, missing %j', (text, found, missing) => {
    expect(extractFields(text, [customerNumber])).toEqual({ found, missing });
  });

  test('several fields: each found independently, missing in field order', () => {
    expect(extractFields('invoice INV-123456, email budi@contoh.id', [customerNumber, invoice, email])).toEqual({
      found: { invoice: 'INV-123456', email: 'budi@contoh.id' },
      missing: ['customer_number'],
    });
  });

  test('no fields asked: nothing missing', () => {
    expect(extractFields('apa saja', [])).toEqual({ found: {}, missing: [] });
  });

  test('an invalid pattern fails with the field id, not the text', () => {
    const broken = { ...customerNumber, id: 'broken', pattern: '(' };
    expect(() => extractFields('rahasia 1234567890', [broken])).toThrow(/"broken"/);
    expect(() => extractFields('rahasia 1234567890', [broken])).not.toThrow(/1234567890/);
  });
});

describe('isDecline', () => {
  test.each([
    'lewati',
    'Lewati aja kak',
    'skip',
    'SKIP!',
    'tidak mau',
    'gak mau ah',
    'gaaak mauuu',
    'ga punya nomor pelanggan',
    'saya tidak punya',
    'lupa',
    'aduh lupa kak',
    'nggak tau',
    'tidak tahu nomornya',
    'rahasia dong',
    'no',
    'No.',
    'nope',
    'nooo',
    'tidak',
    "I don't have it",
    'I dont have one',
    "I'd rather not",
    'I’d rather not say',
    'forgot it sorry',
  ])('%j declines', (text) => {
    expect(isDecline(text)).toBe(true);
  });

  test.each([
    '1234567890',
    'no pelanggan saya 1234567890',
    'nomor saya 1234567890',
    'sebentar saya cek dulu',
    'ini kak: 1234567890',
    'iya boleh',
    'bisa tolong dicek tagihannya',
    'nomor',
    '',
  ])('%j does not decline', (text) => {
    expect(isDecline(text)).toBe(false);
  });
});

describe('formatFieldList', () => {
  test.each([
    [[], 'id', ''],
    [[customerNumber], 'id', 'nomor pelanggan MAJU NET (10 digit)'],
    [[customerNumber], 'en', 'MAJU NET customer number (10 digits)'],
    [[customerNumber, invoice], 'id', 'nomor pelanggan MAJU NET (10 digit) dan nomor invoice'],
    [[customerNumber, invoice, email], 'id', 'nomor pelanggan MAJU NET (10 digit), nomor invoice dan email terdaftar'],
    [
      [customerNumber, invoice, email],
      'en',
      'MAJU NET customer number (10 digits), invoice number and registered email',
    ],
  ] as const)('%# → %j', (fields, locale, expected) => {
    expect(formatFieldList([...fields], locale)).toBe(expected);
  });
});
