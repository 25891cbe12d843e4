import type { ChannelCapabilities } from '../channels/types';
import type { Content } from '../content/model';
import type { Rng } from '../domain/clock';
import type { Locale } from '../domain/locale';
import type { Choice, OutboundMessage } from '../domain/message';
import { CSAT_MAX, CSAT_MIN, isCsatScore } from '../domain/ticket';
import { parseChoiceNumber } from './clarify';
import { renderTemplate, type TemplateVars } from './render';

/**
 * The one-tap satisfaction question after an agent resolved a ticket, and reading the answer.
 * Pure: the engine asks (`buildCsatQuestion`), reads the next message (`parseRating`), and the
 * store records the score.
 */

/** Button ids `csat_1` … `csat_5`: what a tapped rating sends back as `choice`. */
export const CSAT_CHOICE_PREFIX = 'csat_';

/** The rating buttons, worst to best: "1 ★" … "5 ★" (the plain star renders in every font; the emoji one does not). */
export function csatChoices(): Choice[] {
  const out: Choice[] = [];
  for (let score = CSAT_MIN; score <= CSAT_MAX; score++) {
    out.push({ id: `${CSAT_CHOICE_PREFIX}${score}`, label: `${score} ★` });
  }
  return out;
}

/**
 * The question (`csat_question`, which itself says "reply 1–5", so it works as plain text) with
 * the five rating buttons when the channel shows that many buttons.
 */
export function buildCsatQuestion(input: {
  content: Content;
  locale: Locale;
  channel: string;
  capabilities: ChannelCapabilities;
  rng: Rng;
  vars: TemplateVars;
}): OutboundMessage {
  const text = renderTemplate(input.content, 'csat_question', {
    locale: input.locale,
    channel: input.channel,
    vars: input.vars,
    rng: input.rng,
  });
  const choices = csatChoices();
  const { buttons, maxButtons, maxButtonLabel } = input.capabilities;
  const fits = buttons && choices.length <= maxButtons && choices.every((c) => c.label.length <= maxButtonLabel);
  return fits ? { text, choices } : { text };
}

/** Words that may stand around a rating without making the message something else. */
const RATING_WORDS = /\b(bintang|stars?|nilai(nya)?|skor(nya)?|score|rating|kasih|beri|kuberi|rate)\b/g;

/**
 * The rating a reply gives, or `undefined` when the reply is something else (then it is an
 * ordinary message): a tapped button (`csat_4`), a number 1–5 with filler words ("5", "4 kak",
 * "nilai 5", "5/5", "lima"), or one to five stars ("⭐⭐⭐⭐", "★★★").
 *
 * ```ts
 * parseRating('⭐⭐⭐⭐') // 4
 * parseRating('', 'csat_5') // 5
 * parseRating('jam buka toko?') // undefined
 * ```
 */
export function parseRating(text: string, choice?: string): number | undefined {
  if (choice !== undefined) {
    if (!choice.startsWith(CSAT_CHOICE_PREFIX)) return undefined;
    const score = Number(choice.slice(CSAT_CHOICE_PREFIX.length));
    return isCsatScore(score) ? score : undefined;
  }
  const compact = text.normalize('NFC').replace(/[\uFE0F\s]/g, '');
  if (/^(⭐|★|🌟){1,5}$/u.test(compact)) return Array.from(compact).length;
  const words = text
    .toLowerCase()
    .replace(/\b([1-5])\s*\/\s*5\b/g, '$1')
    .replace(RATING_WORDS, ' ');
  const score = parseChoiceNumber(words);
  return score !== undefined && isCsatScore(score) ? score : undefined;
}
