import { EN_LEXICON } from '../../../src/nlu/lexicon-en';
import { ID_LEXICON, ID_LOANWORDS, ID_SLANG, UNIT_LIKE_KEYS } from '../../../src/nlu/lexicon-id';
import { cleanText } from '../../../src/nlu/clean';

const LEXICONS = { id: ID_LEXICON, en: EN_LEXICON };

describe('lexicons', () => {
  test('the Indonesian lexicon has at least 300 entries', () => {
    expect(Object.keys(ID_LEXICON).length).toBeGreaterThanOrEqual(300);
  });

  test('slang and loanword tables do not overlap', () => {
    expect(Object.keys(ID_SLANG).filter((k) => Object.hasOwn(ID_LOANWORDS, k))).toEqual([]);
  });

  describe.each(Object.entries(LEXICONS))('%s', (_locale, lexicon) => {
    const entries = Object.entries(lexicon);

    test('no entry maps to itself', () => {
      expect(entries.filter(([k, v]) => k === v)).toEqual([]);
    });

    test('every key is one cleaned token (so it can ever match)', () => {
      expect(entries.map(([k]) => k).filter((k) => cleanText(k) !== k || k.includes(' '))).toEqual([]);
    });

    test('no word of a value is itself a key (applying the lexicon twice changes nothing)', () => {
      const chained = entries.filter(([, v]) => v.split(' ').some((w) => Object.hasOwn(lexicon, w)));
      expect(chained).toEqual([]);
    });

    test('values are non-empty lower-case words', () => {
      expect(entries.filter(([, v]) => !/^[a-z0-9']+( [a-z0-9']+)*$/.test(v))).toEqual([]);
    });
  });

  test('the entries the brief names are there', () => {
    expect(ID_LEXICON).toMatchObject({
      gmn: 'bagaimana',
      gimana: 'bagaimana',
      brp: 'berapa',
      udh: 'sudah',
      udah: 'sudah',
      sdh: 'sudah',
      blm: 'belum',
      tdk: 'tidak',
      gk: 'tidak',
      ga: 'tidak',
      gak: 'tidak',
      nggak: 'tidak',
      ngga: 'tidak',
      enggak: 'tidak',
      yg: 'yang',
      bgt: 'banget',
      min: 'admin',
      sy: 'saya',
      aku: 'saya',
      gw: 'saya',
      gue: 'saya',
      tlg: 'tolong',
      knp: 'kenapa',
      bs: 'bisa',
      dgn: 'dengan',
      krn: 'karena',
      karna: 'karena',
      kmrn: 'kemarin',
      skrg: 'sekarang',
      trs: 'terus',
      jd: 'jadi',
      tp: 'tapi',
      sm: 'sama',
      utk: 'untuk',
      buat: 'untuk',
      lg: 'lagi',
      aja: 'saja',
      emg: 'memang',
      bener: 'benar',
      ngecek: 'cek',
      inet: 'internet',
      tagiahn: 'tagihan',
    });
    expect(EN_LEXICON).toMatchObject({
      pls: 'please',
      plz: 'please',
      thx: 'thanks',
      u: 'you',
      ur: 'your',
      r: 'are',
      wanna: 'want to',
      gonna: 'going to',
      cant: 'cannot',
    });
  });

  test('chat ke- passives and -in verbs map to the standard forms the concepts know', () => {
    expect(ID_LEXICON).toMatchObject({
      kepotong: 'terpotong',
      kepake: 'terpakai',
      kebuka: 'terbuka',
      ngembung: 'menggembung',
      nyalain: 'nyalakan',
      matiin: 'matikan',
      sembunyiin: 'sembunyikan',
      dibales: 'dibalas',
      dobel: 'dua kali',
    });
  });

  test('unit-like keys are lexicon keys', () => {
    expect([...UNIT_LIKE_KEYS].filter((k) => !Object.hasOwn(ID_LEXICON, k))).toEqual([]);
  });
});
