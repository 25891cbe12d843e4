import { RegexpTokenizer } from 'natural/lib/natural/tokenizers';

/**
 * Tokenizing normalized text.
 *
 * By the time text gets here, `normalize` has lower-cased it, removed punctuation and kept
 * placeholders (`_phone_`) and intra-word apostrophes ("don't") whole, so a token is simply a run
 * of non-space characters. natural's `RegexpTokenizer` splitting on whitespace does exactly that.
 * natural's `AggressiveTokenizerId` is deliberately NOT used: its character class `[^a-z0-9 -]`
 * deletes capitals ("Saya" → "aya"), underscores and apostrophes.
 *
 * natural is imported by deep path: the package root pulls in dotenv, mongoose, pg and more
 * (~0.8 s and a `.env` read); `natural/lib/natural/tokenizers` loads in ~50 ms and nothing else.
 */
const WHITESPACE = new RegexpTokenizer({ pattern: /\s+/ });

/** Splits normalized text into tokens. Empty or blank text gives `[]`. */
export function tokenize(normalizedText: string): string[] {
  return WHITESPACE.tokenize(normalizedText).filter((t) => t !== '');
}
