import type { Locale } from '../domain/locale';

/**
 * Emoji that carry meaning for customer service. Customers use them instead of words
 * ("internet mati lagi 😡", "tolong dibantu 🙏"), so the few that matter are turned into words;
 * every other pictograph is dropped as noise.
 *
 * Mapping happens in two steps because the word depends on the message language, which is only
 * known after cleanup: `markEmoji` turns a meaningful emoji into a marker token (`_emo_angry_`),
 * and `emojiWord` later turns the marker into "marah" (Indonesian) or "angry" (English). Markers
 * are ignored by locale detection, so an emoji never decides the language.
 */
export type EmojiMeaning = 'angry' | 'please' | 'sad' | 'ok';

/** Which emoji mean what. Variation selectors and skin tones are stripped before lookup. */
export const EMOJI_MEANINGS: Readonly<Record<string, EmojiMeaning>> = {
  '😡': 'angry',
  '🤬': 'angry',
  '😠': 'angry',
  '👿': 'angry',
  '💢': 'angry',
  '🙏': 'please',
  '😭': 'sad',
  '😢': 'sad',
  '😞': 'sad',
  '😔': 'sad',
  '☹': 'sad',
  '🙁': 'sad',
  '👍': 'ok',
  '👌': 'ok',
  '🆗': 'ok',
};

/** The word an emoji meaning becomes, per locale. */
export const EMOJI_WORDS: Readonly<Record<Locale, Readonly<Record<EmojiMeaning, string>>>> = {
  id: { angry: 'marah', please: 'tolong', sad: 'sedih', ok: 'oke' },
  en: { angry: 'angry', please: 'please', sad: 'sad', ok: 'ok' },
};

const MARKER_PREFIX = '_emo_';
const MARKER = /^_emo_(angry|please|sad|ok)_$/;

// Pictographs, regional indicators (flags), keycaps, and the invisible joiners / modifiers that
// glue emoji sequences together.
const EMOJI_GLUE = /\u200d|\ufe0e|\ufe0f|\u20e3|\p{Emoji_Modifier}/gu;
const EMOJI_RUN =
  /(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\u200d|\ufe0e|\ufe0f|\u20e3|\p{Emoji_Modifier})+/gu;

/**
 * Replaces meaningful emoji with marker tokens (` _emo_angry_ `) and removes all other emoji.
 * A run of identical emoji ("😡😡😡") yields one marker per distinct meaning.
 */
export function markEmoji(text: string): string {
  return text.replace(EMOJI_RUN, (run) => {
    const meanings: EmojiMeaning[] = [];
    for (const ch of run.replace(EMOJI_GLUE, '')) {
      const meaning = EMOJI_MEANINGS[ch];
      if (meaning && !meanings.includes(meaning)) meanings.push(meaning);
    }
    return meanings.length ? ` ${meanings.map((m) => `${MARKER_PREFIX}${m}_`).join(' ')} ` : ' ';
  });
}

/** The word for an emoji marker in `locale`, or undefined when `token` is not a marker. */
export function emojiWord(token: string, locale: Locale): string | undefined {
  const m = MARKER.exec(token);
  return m ? EMOJI_WORDS[locale][m[1] as EmojiMeaning] : undefined;
}
