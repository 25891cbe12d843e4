import { analyzeText, applyLexicon, normalize, normalizeTokens } from '../../../src/nlu/normalize';

// input → expected normalized text (locale detected from the text).
const TABLE: [string, string][] = [
  // case and whitespace
  ['Halo Kak', 'halo kak'],
  ['  JAM   BUKA\tTOKO  ', 'jam buka toko'],
  ['', ''],
  ['   ', ''],
  // unicode: NFKC, diacritics, typographic apostrophes
  ['ｔａｇｉｈａｎ saya', 'tagihan saya'],
  ['café résumé', 'cafe resume'],
  ['I can’t log in', 'i cannot log in'],
  // stretched letters (3+ → 1), doubles kept
  ['tolonggg', 'tolong'],
  ['bangettt mahal', 'banget mahal'],
  ['makasiiih kak', 'terima kasih kak'],
  ['maaf kak', 'maaf kak'],
  ['nggak bisa', 'tidak bisa'],
  ['pleeease help', 'please help'],
  // reduplication with "2"
  ['kata2', 'kata kata'],
  ['barang2nya rusak', 'barang barangnya rusak'],
  ['kadang2 lemot', 'kadang kadang lambat'],
  // punctuation, digits, codes, units
  ['harga??? berapa!!!', 'harga berapa'],
  ['error E02 di modem', 'error e02 di modem'],
  ['Rp 1.500.000 utk 100mbps?', 'rp 1500000 untuk 100 mbps'],
  ['paket 50rb ada?', 'paket 50 ribu ada'],
  ['sinyal 4G ga ada', 'sinyal 4g tidak ada'],
  ['"jam buka" toko, kak.', 'jam buka toko kak'],
  ["it's broken, isn't it?", 'it is broken is not it'],
  // emoji: meaningful ones become words of the message's language, others are dropped
  ['internet mati 😡', 'internet mati marah'],
  ['kok gini 🤬🤬🤬', 'kok begini marah'],
  ['tolong dibantu 🙏🏽', 'tolong dibantu tolong'],
  ['paket belum sampai 😭', 'paket belum sampai sedih'],
  ['oke kak 👍', 'oke kak oke'],
  ['halo 🎉🔥 kak', 'halo kak'],
  ['my internet is down 😡', 'my internet is down angry'],
  // slang lexicon (Indonesian)
  ['gmn cara bayar tagiahn?', 'bagaimana cara bayar tagihan'],
  ['brp harga paket yg dasar', 'berapa harga paket yang dasar'],
  ['udh bayar tp blm nyambung', 'sudah bayar tapi belum tersambung'],
  ['gw gk bs login', 'saya tidak bisa login'],
  ['min, inet sy lemot bgt', 'admin internet saya lambat banget'],
  ['knp kmrn ga dikirim', 'kenapa kemarin tidak dikirim'],
  ['gpp kak', 'tidak apa apa kak'],
  ['dmn alamat toko', 'di mana alamat toko'],
  ['tlg cek skrg dong', 'tolong cek sekarang dong'],
  ['emg bener krn hujan', 'memang benar karena hujan'],
  // slang lexicon (English) and English left alone by the Indonesian lexicon
  ['pls help, u there?', 'please help you there'],
  ['thx, i dont wanna cancel', 'thanks i do not want to cancel'],
  ["i couldn’t pay and we've waited, it wouldn't load", 'i could not pay and we have waited it would not load'],
  ['wait 5 min please', 'wait 5 min please'],
  // PII placeholders
  ['email saya budi.s@gmail.com ya kak', 'email saya _email_ ya kak'],
  ['cek di https://majujaya.co.id/promo ya', 'cek di _url_ ya'],
  ['buka www.majujaya.co.id kak', 'buka _url_ kak'],
  ['wa sy 0812-3456-7890 kak', 'wa saya _phone_ kak'],
  ['call me at +62 812 3456 7890', 'call me at _phone_'],
  ['hubungi (021) 555-1234', 'hubungi _phone_'],
  ['tgl 2026-01-01 jam 08:00', 'tanggal 2026 01 01 jam 08 00'],
];

describe('normalize', () => {
  test('the table has at least 40 rows', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
  });

  test.each(TABLE)('%j → %j', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  test.each(TABLE)('is idempotent on %j', (input) => {
    const once = normalize(input);
    expect(normalize(once, analyzeText(input).locale)).toBe(once);
  });

  test('no digits of a phone number survive', () => {
    expect(normalize('nomor saya 081234567890')).not.toMatch(/\d{5}/);
  });

  test('a given locale overrides detection: "min" stays a unit in English', () => {
    expect(normalize('tunggu 5 min', 'en')).toBe('tunggu 5 min');
    expect(normalize('makasih min', 'id')).toBe('terima kasih admin');
  });

  test('"min" right after a number is not "admin", even in Indonesian', () => {
    expect(normalize('tunggu 5 min ya kak')).toBe('tunggu 5 min ya kak');
  });

  test('analyzeText reports surface tokens, normalized tokens and the locale', () => {
    const a = analyzeText('Gmn kak?? udh 3 hari');
    expect(a).toEqual({
      text: 'bagaimana kak sudah 3 hari',
      tokens: ['bagaimana', 'kak', 'sudah', '3', 'hari'],
      surface: ['gmn', 'kak', 'udh', '3', 'hari'],
      locale: 'id',
    });
    expect(normalizeTokens('gpp')).toEqual(['tidak', 'apa', 'apa']);
  });

  test('applyLexicon expands multi-word entries and maps emoji markers per locale', () => {
    expect(applyLexicon(['gpp', '_emo_angry_'], 'id')).toEqual(['tidak', 'apa', 'apa', 'marah']);
    expect(applyLexicon(['dont', '_emo_angry_'], 'en')).toEqual(['do', 'not', 'angry']);
  });
});
