import type { Locale } from '../domain/locale';
import { PorterStemmer, StemmerId } from 'natural/lib/natural/stemmers';

/**
 * Stemming: reducing inflected words to a shared stem so "pembayaran", "dibayar" and "bayar"
 * (or "payments" and "payment") count as one feature.
 *
 * - Indonesian uses natural's `StemmerId`, a port of Sastrawi: dictionary-based affix removal
 *   (pembayaran → bayar, tagihannya → tagih, terputus → putus). It returns the word unchanged
 *   when it finds no root. Loanwords are not in its dictionary, so "internetnya" keeps its
 *   "-nya"; we retry once without "-nya" in that case ("routernya" → "router").
 * - English uses the Porter stemmer (payments → payment, hacked → hack).
 *
 * Only `stem(word)` is called, never `tokenizeAndStem`: the latter removes stopwords, and the
 * Indonesian stopword list drops words that carry intent ("berapa", "mau", "tanya", "kok").
 *
 * The Sastrawi port is slow (~0.15 ms per word), so stems are memoized per locale. The cache is
 * bounded: when it grows past `MAX_CACHE` entries it starts over, so odd input can't grow memory
 * without limit.
 */
const MAX_CACHE = 50_000;
const caches: Record<Locale, Map<string, string>> = { id: new Map(), en: new Map() };

// Placeholders, emoji markers and anything with a digit ("e02", "100") are stems already.
const NOT_A_WORD = /[_\d']/;

function computeStem(token: string, locale: Locale): string {
  if (locale === 'en') return token.length < 3 ? token : PorterStemmer.stem(token);
  if (token.length < 4) return token;
  const stem = StemmerId.stem(token);
  if (stem === token && token.endsWith('nya') && token.length >= 6) {
    return StemmerId.stem(token.slice(0, -3));
  }
  return stem;
}

/** The stem of one normalized token in `locale` (memoized). */
export function stem(token: string, locale: Locale): string {
  if (NOT_A_WORD.test(token)) return token;
  const cache = caches[locale];
  const hit = cache.get(token);
  if (hit !== undefined) return hit;
  const result = computeStem(token, locale) || token;
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(token, result);
  return result;
}

/** Stems every token (see `stem`). */
export function stemTokens(tokens: readonly string[], locale: Locale): string[] {
  return tokens.map((t) => stem(t, locale));
}
