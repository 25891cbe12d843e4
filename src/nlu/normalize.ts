import type { Locale } from '../domain/locale';
import { cleanText, splitTokens } from './clean';
import { emojiWord } from './emoji';
import { EN_LEXICON } from './lexicon-en';
import { ID_LEXICON, UNIT_LIKE_KEYS } from './lexicon-id';
import { detectLocaleFromTokens } from './locale';

/**
 * Normalization of a chat message: surface cleanup (`clean.ts`: Unicode, case, PII placeholders,
 * emoji, punctuation, stretched letters, reduplication), language detection (`locale.ts`), then
 * the slang lexicon of that language applied token by token.
 *
 * The language is detected on the cleaned tokens *before* the lexicon runs, because the lexicon
 * depends on it: "min" is "admin" in Indonesian chat but a unit in English "5 min".
 */
export interface NormalizedText {
  /** The normalized text: tokens joined by single spaces. */
  text: string;
  /** The normalized tokens (a lexicon expansion like "gpp" → "tidak apa apa" adds several). */
  tokens: string[];
  /** The cleaned tokens before the lexicon (raw chat words, PII already masked). */
  surface: string[];
  /** The locale the lexicon was chosen by: the given one, or the detected one. */
  locale: Locale;
}

const LEXICONS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = {
  id: ID_LEXICON,
  en: EN_LEXICON,
};

const NUMBER = /^\d+$/;

/**
 * Applies the lexicon of `locale` to cleaned tokens: emoji markers become words of that locale,
 * slang becomes its standard form (possibly several words), everything else stays. Unit-like
 * keys ("min", "g") are left alone right after a number.
 */
export function applyLexicon(tokens: readonly string[], locale: Locale): string[] {
  const lexicon = LEXICONS[locale];
  const out: string[] = [];
  tokens.forEach((token, i) => {
    const emoji = emojiWord(token, locale);
    if (emoji !== undefined) {
      out.push(emoji);
      return;
    }
    const expansion = Object.hasOwn(lexicon, token) ? lexicon[token] : undefined;
    const afterNumber = i > 0 && NUMBER.test(tokens[i - 1] ?? '');
    if (expansion === undefined || (locale === 'id' && afterNumber && UNIT_LIKE_KEYS.has(token))) {
      out.push(token);
    } else {
      out.push(...splitTokens(expansion));
    }
  });
  return out;
}

/**
 * Normalizes `text` and says how: the tokens before and after the lexicon and the locale used.
 * Pass `locale` to force a language (e.g. the conversation's known locale); otherwise it is
 * detected from the text.
 */
export function analyzeText(text: string, locale?: Locale): NormalizedText {
  const surface = splitTokens(cleanText(text));
  const used = locale ?? detectLocaleFromTokens(surface);
  const tokens = applyLexicon(surface, used);
  return { text: tokens.join(' '), tokens, surface, locale: used };
}

/**
 * Normalizes a chat message for classification and display.
 *
 * @example normalize('Tolonggg min, inet gw mati 😡!!') // 'tolong admin internet saya mati marah'
 * @example normalize('gmn cara bayar tagiahn?')        // 'bagaimana cara bayar tagihan'
 * @example normalize('pls call me at +62 812-3456-7890') // 'please call me at _phone_'
 */
export function normalize(text: string, locale?: Locale): string {
  return analyzeText(text, locale).text;
}

/** The normalized tokens of `text` (see `normalize`). */
export function normalizeTokens(text: string, locale?: Locale): string[] {
  return analyzeText(text, locale).tokens;
}
