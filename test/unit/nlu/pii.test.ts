import { maskPii } from '../../../src/nlu/pii';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('maskPii', () => {
  test.each([
    ['mail ke budi.santoso+cs@example.co.id', 'mail ke _email_'],
    ['lihat https://majujaya.co.id/promo?x=1', 'lihat _url_'],
    ['lihat majujaya.com/promo', 'lihat _url_'],
    ['wa 081234567890', 'wa _phone_'],
    ['wa +62 812-3456-7890', 'wa _phone_'],
    ['telp 6281234567890', 'telp _phone_'],
    ['telp (021) 555-1234', 'telp _phone_'],
  ])('%j → %j', (input, expected) => {
    expect(squash(maskPii(input))).toBe(expected);
  });

  test.each(['harga 350.000', 'tanggal 2026-01-01', 'jam 08:00-17:00', 'kode E02', 'order 12345678', 'paket 100 mbps'])(
    'leaves %j alone',
    (input) => {
      expect(maskPii(input)).toBe(input);
    },
  );
});
