import { DEFAULT_LOCALE, type Locale } from '../domain/locale';
import { cleanText, splitTokens } from './clean';
import { EN_LEXICON } from './lexicon-en';
import { ID_SLANG, UNIT_LIKE_KEYS } from './lexicon-id';

/**
 * Language detection for short chat messages, from function-word evidence.
 *
 * Statistical language identifiers need more text than "gmn kak?" gives them, but the small
 * closed-class words (pronouns, negations, question words, particles) and chat slang decide
 * almost every customer message. Each token adds to the Indonesian or English score; the
 * higher score wins, and a tie (including no evidence at all) is Indonesian, the default
 * locale. Words both languages use in chat ("internet", "wifi", "ok", "order", "refund", "down")
 * are evidence of neither, so code-mixed "internet saya down" is Indonesian.
 *
 * Indonesian address terms and particles ("kak", "min", "dong", "ya") count double; a few
 * English words that Indonesians also drop into chat ("please", "help", "thanks", "hi") count
 * half. So "hi" alone is English, but "hi kak" and "thanks ya kak" are Indonesian.
 */

const ID_WORDS = `
yang dan di ke dari ini itu saya kamu kami kita dia mereka anda kalian tidak bukan belum sudah
sedang akan bisa mau ingin ada apa apakah bagaimana berapa kapan mana siapa kenapa mengapa
dengan untuk karena kalau jika bila atau tapi tetapi juga lagi saja sama dong deh sih kok ya yah
kan lho kak pak bu bapak ibu mas mbak tolong mohon terima kasih selamat pagi siang sore malam
halo hai banget sangat lebih masih baru harus boleh perlu sampai pada oleh dalam punya jam hari
toko barang tagihan bayar harga paket pesanan kirim rusak mati jaringan garansi beli tanya cara
minta kembali uang rumah sini situ begitu begini gimana aja udah nggak gak belum lama sekali
kurang murah mahal cepat lambat tahun bulan minggu besok kemarin sekarang tadi nanti dulu
pakai pasang ganti tukar cek lihat tahu dapat kasih buka tutup tanggal nomor alamat kota
daerah rumah sudah iya oke sip siap maaf permisi assalamualaikum salam semua setiap sendiri
tetap terus jadi lalu kemudian supaya agar biar hanya cuma pernah selalu sering jarang lewat
keluar masuk naik turun baterai penting pusing kucing kuning kering miring bening anjing
`;

/** Address terms and particles that only Indonesian chat uses: they count double. */
const ID_STRONG_WORDS = `kak kakak min dong sih deh kok nih ya yah gan mas mbak pak bu`;

const EN_WORDS = `
the a an is are was were be been being am i you he she we they my your our their me us him her
it its this that these those what how when where why who which whom can could would will shall
should may might must do does did done not yes to of in on at for from with about into by and
or but if than then there here have has had get got want need just still again already yet
some any all much many more most very too also only really there's it's i'm don't can't
good morning afternoon evening night bye goodbye see soon later tomorrow today yesterday week
month year open close closed store shop price cost bill pay paid working broken sent send
delivered delivery package arrive arrived my long wrong right same other another hours
wait know like make go come give take tell ask fix fixed work works buy bought change new old use
used keep keeps try tried call let send still since been anyone someone something nothing
everything payment payments account charged received receive twice money back where's area
`;

/** English words Indonesian chat borrows: they count, but only half. */
const EN_WEAK_WORDS = `please help thanks thank hi hello hey sorry cheers`;

/** Chat words of both languages: never evidence (they may appear in the lists above by design). */
const NEUTRAL_WORDS = `
internet wifi ok oke order refund down error online offline login password reset email admin
cs router modem update upgrade promo ready status invoice transfer cod service customer app
hp wa no sms via asap
`;

function words(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

const NEUTRAL = words(NEUTRAL_WORDS);
const EN_WEAK = words(EN_WEAK_WORDS);
const EN_STRONG = new Set([...words(EN_WORDS), ...Object.keys(EN_LEXICON)]);
const ID_STRONG = words(ID_STRONG_WORDS);
const ID_EVIDENCE = new Set(
  [...words(ID_WORDS), ...Object.keys(ID_SLANG)].filter((w) => !EN_STRONG.has(w) && !EN_WEAK.has(w)),
);
for (const w of NEUTRAL) {
  ID_EVIDENCE.delete(w);
  EN_STRONG.delete(w);
  EN_WEAK.delete(w);
}

/** The evidence one token gives: positive for Indonesian, negative for English, 0 for none. */
export function localeEvidence(token: string): number {
  if (token.startsWith('_')) return 0; // placeholders and emoji markers say nothing
  if (ID_STRONG.has(token)) return 2;
  if (ID_EVIDENCE.has(token)) return 1;
  if (EN_STRONG.has(token)) return -1;
  if (EN_WEAK.has(token)) return -0.5;
  // Morphology of words no list knows. Indonesian: "-nya" on a longer word ("tokonya",
  // "internetnya") and the "-kan" verb suffix ("sambungkan"). English: "-ing" and "-ed"
  // ("failing", "charged"); the Indonesian words ending like that are in the lists above.
  if (token.length >= 6 && token.endsWith('nya')) return 1;
  if (token.length >= 7 && token.endsWith('kan')) return 0.5;
  if (token.length >= 6 && token.endsWith('ing')) return -0.5;
  if (token.length >= 5 && token.endsWith('ed')) return -0.5;
  return 0;
}

/** Detects the locale of already cleaned tokens (see `cleanText`). Ties go to Indonesian. */
export function detectLocaleFromTokens(tokens: readonly string[]): Locale {
  let score = 0;
  tokens.forEach((t, i) => {
    // "5 min" is a duration in any language, not Indonesian "admin".
    if (i > 0 && UNIT_LIKE_KEYS.has(t) && /^\d+$/.test(tokens[i - 1] ?? '')) return;
    score += localeEvidence(t);
  });
  if (score > 0) return 'id';
  if (score < 0) return 'en';
  return DEFAULT_LOCALE;
}

/**
 * Detects whether a customer message is Indonesian or English.
 *
 * @example detectLocale('gmn cara bayar?') // 'id'
 * @example detectLocale('how do I pay?')   // 'en'
 * @example detectLocale('internet saya down') // 'id' (code-mixed)
 * @example detectLocale('thanks') // 'en'; detectLocale('') // 'id' (no evidence)
 */
export function detectLocale(text: string): Locale {
  return detectLocaleFromTokens(splitTokens(cleanText(text)));
}
