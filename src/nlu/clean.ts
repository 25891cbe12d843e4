import { markEmoji } from './emoji';
import { maskPii } from './pii';

/**
 * Surface cleanup of a chat message: everything normalization does *before* the language is
 * known (the slang lexicon, applied afterwards in `normalize.ts`, depends on the language).
 *
 * Steps, in order (each one explains why it sits where it does):
 * 1. Unicode NFKC: full-width letters, ligatures and compatibility forms become plain letters
 *    ("ｔａｇｉｈａｎ" → "tagihan", "ﬁ" → "fi").
 * 2. PII masking (`pii.ts`): before punctuation removal, which would break e-mails and URLs apart.
 * 3. Emoji → marker tokens (`emoji.ts`), other pictographs dropped.
 * 4. Lower case, then diacritics stripped (NFD + remove combining marks: "café" → "cafe").
 * 5. Typographic apostrophes become "'"; thousands separators between digits are dropped
 *    ("350.000" → "350000") so prices stay one token.
 * 6. Punctuation becomes a space. Digits stay. An apostrophe stays only between two letters
 *    ("don't", "it's"); quotes around words go.
 * 7. Reduplication with "2": "kata2" → "kata kata", "barang2nya" → "barang barangnya" (a word of
 *    3+ letters followed by the digit 2, optionally a suffix).
 * 8. A number glued to a known unit is split ("50rb" → "50 rb", "100mbps" → "100 mbps"), so
 *    units reach the lexicon as words. Codes stay whole ("e02", "4g").
 * 9. Stretched letters: a letter repeated 3+ times becomes one ("tolonggg" → "tolong",
 *    "bangettt" → "banget"); doubles are real spelling and stay ("nggak", "maaf").
 * 10. Whitespace collapsed and trimmed.
 */
export function cleanText(text: string): string {
  let s = text.normalize('NFKC');
  s = maskPii(s);
  s = markEmoji(s);
  s = s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
  s = s.replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'");
  s = s.replace(/(\d)[.,](?=\d{3}(?!\d))/g, '$1');
  s = stripPunctuation(s);
  s = s.replace(
    /\b([a-z]{3,})2(nya|an|kan|lah)?\b/g,
    (_m, word: string, suffix?: string) => `${word} ${word}${suffix ?? ''}`,
  );
  s = s.replace(UNIT_AFTER_NUMBER, '$1 $2');
  s = s.replace(/([a-z])\1{2,}/g, '$1');
  return s.replace(/\s+/g, ' ').trim();
}

// Units that customers glue to numbers ("50rb", "100mbps", "2x", "3hari"). Other letter runs
// after digits stay attached: "4g" and "5g" are network names, not "4 g".
const UNIT_AFTER_NUMBER =
  /\b(\d+)(rb|ribu|rebu|k|jt|juta|mbps|kbps|gbps|mb|gb|kb|x|jam|menit|mnt|hari|hr|minggu|bln|bulan|thn|tahun|min|mins|hrs|pm|am|km|cm|m)\b/g;

// Placeholders (`_url_`, `_emo_angry_`…) are the only tokens allowed to contain underscores.
const PLACEHOLDER = /^_[a-z]+(?:_[a-z]+)*_$/;

function stripPunctuation(s: string): string {
  return s
    .split(/\s+/)
    .map((chunk) => {
      if (PLACEHOLDER.test(chunk)) return chunk;
      return chunk
        .replace(/\ue000/g, ' ')
        .replace(/(?<=\p{L})'(?=\p{L})/gu, '\ue000') // protect intra-word apostrophes (private-use char)
        .replace(/[^\p{L}\p{N}\ue000]+/gu, ' ')
        .replace(/\ue000/g, "'");
    })
    .join(' ');
}

/** Splits cleaned (or normalized) text into its space-separated tokens. */
export function splitTokens(text: string): string[] {
  return text === '' ? [] : text.split(' ');
}
