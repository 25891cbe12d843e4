import type { ChannelCapabilities } from '../channels/types';
import type { Content } from '../content/model';
import type { Rng } from '../domain/clock';
import type { PendingClarification } from '../domain/conversation';
import type { Locale } from '../domain/locale';
import type { Choice, OutboundMessage } from '../domain/message';
import type { RankedIntent } from '../nlu/types';
import { renderTemplate, type TemplateVars } from './render';

export interface ClarificationInput {
  /** The policy's candidates, best first (2–3). */
  candidates: RankedIntent[];
  content: Content;
  locale: Locale;
  capabilities: ChannelCapabilities;
  rng: Rng;
  /** Base variables (`baseVars`); `count` is added for the numbered hint. */
  vars: TemplateVars;
  /** Channel name, for templates with channel overrides. */
  channel?: string;
}

export interface Clarification {
  message: OutboundMessage;
  /** What the conversation keeps to read the next message as the answer. */
  pending: Omit<PendingClarification, 'originalText' | 'ranking' | 'askedAt'>;
}

/** Choice id of the "something else / a person" option; candidates are `c1`, `c2`, `c3`. */
export const OTHER_CHOICE_ID = 'c0';

/**
 * Builds the ONE clarifying question: the `clarify_question` text and one option per candidate
 * (the intent's label) plus "something else / a person" (`clarify_other_label`, always last).
 *
 * With buttons, and when every option fits `maxButtons`, the options become `choices` with labels
 * cut to `maxButtonLabel`. Otherwise they are a numbered list in the text followed by
 * `clarify_numbered_hint` ("Balas dengan angka 1–4 ya, Kak."), and the customer answers "2".
 * The pending record always keeps the full labels.
 */
export function buildClarification(input: ClarificationInput): Clarification {
  const { candidates, content, locale, capabilities, rng, vars, channel } = input;
  const render = (id: string, extra: TemplateVars = {}) =>
    renderTemplate(content, id, { locale, channel, vars: { ...vars, ...extra }, rng });

  const options: PendingClarification['options'] = candidates.map((c, i) => {
    const intent = content.intents.find((d) => d.id === c.intent);
    return { choice: { id: `c${i + 1}`, label: intent?.label[locale] ?? c.intent }, intent: c.intent };
  });
  options.push({ choice: { id: OTHER_CHOICE_ID, label: render('clarify_other_label') }, intent: null });

  const question = render('clarify_question');
  if (capabilities.buttons && options.length <= capabilities.maxButtons) {
    const choices: Choice[] = options.map((o) => ({
      id: o.choice.id,
      label: truncateLabel(o.choice.label, capabilities.maxButtonLabel),
    }));
    return { message: { text: question, choices }, pending: { options } };
  }
  const list = options.map((o, i) => `${i + 1}. ${o.choice.label}`).join('\n');
  const hint = render('clarify_numbered_hint', { count: options.length });
  return { message: { text: `${question}\n\n${list}\n\n${hint}` }, pending: { options } };
}

/**
 * Cuts a label to `max` characters (code points), ending with "…" when cut, so a button never
 * exceeds the platform limit.
 */
export function truncateLabel(label: string, max: number): string {
  const chars = Array.from(label.trim());
  if (chars.length <= max) return chars.join('');
  if (max <= 1) return chars.slice(0, Math.max(0, max)).join('');
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * Reads the customer's message as an answer to the pending question:
 * 1. a tapped choice id (`c1`…, `c0`);
 * 2. else a number within range, alone or with filler words: "2", "2.", "no 2", "nomor 2",
 *    "yg ke-2", "yang kedua", "pilih 3", "dua", "two", "the second one";
 * 3. else an option label typed exactly (case and surrounding punctuation ignored);
 * 4. else `undefined`: free text, for the policy to re-classify.
 */
export function resolveChoice(
  pending: PendingClarification,
  choiceId: string | undefined,
  text: string,
): { intent: string | null } | undefined {
  if (choiceId !== undefined) {
    const byId = pending.options.find((o) => o.choice.id === choiceId);
    if (byId) return { intent: byId.intent };
  }
  const n = parseChoiceNumber(text);
  if (n !== undefined && n >= 1 && n <= pending.options.length) {
    const option = pending.options[n - 1];
    if (option) return { intent: option.intent };
  }
  const typed = normalize(text);
  if (typed) {
    const byLabel = pending.options.find((o) => normalize(o.choice.label) === typed);
    if (byLabel) return { intent: byLabel.intent };
  }
  return undefined;
}

const CARDINALS: Record<string, number> = {
  satu: 1,
  dua: 2,
  tiga: 3,
  empat: 4,
  lima: 5,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
};
const ORDINALS: Record<string, number> = {
  pertama: 1,
  kesatu: 1,
  kedua: 2,
  ketiga: 3,
  keempat: 4,
  kelima: 5,
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  '1st': 1,
  '2nd': 2,
  '3rd': 3,
  '4th': 4,
  '5th': 5,
};
/** Words that may surround the number without making the message free text. */
const FILLER = new Set([
  'pilih',
  'pilihan',
  'pilihannya',
  'no',
  'nomor',
  'nomer',
  'nmr',
  'nomornya',
  'yg',
  'yang',
  'ke',
  'mau',
  'saya',
  'aku',
  'aja',
  'saja',
  'ya',
  'yah',
  'kak',
  'min',
  'deh',
  'dong',
  'itu',
  'opsi',
  'jawab',
  'jawaban',
  'nr',
  'number',
  'option',
  'the',
  'i',
  'choose',
  'pick',
  'want',
  'please',
  'pls',
  'ok',
  'oke',
  'is',
  'my',
  'answer',
]);

/**
 * The option number a short reply names, or `undefined` when the text is not just a number with
 * filler words ("paket 2 berapa?" is free text).
 */
export function parseChoiceNumber(text: string): number | undefined {
  const tokens = normalize(text)
    .replace(/\bke-?(\d+)\b/g, 'ke $1')
    .split(/[\s\-#]+/)
    .filter((t) => t.length > 0);
  let found: number | undefined;
  let previousWasOrdinal = false;
  for (const token of tokens) {
    const value = /^\d+$/.test(token) ? Number(token) : (CARDINALS[token] ?? ORDINALS[token]);
    const isOrdinal = ORDINALS[token] !== undefined;
    if (token === 'one' && previousWasOrdinal) {
      // "the second one": "one" is a pronoun here, not a number.
      previousWasOrdinal = false;
      continue;
    }
    previousWasOrdinal = isOrdinal;
    if (value !== undefined) {
      if (found !== undefined) return undefined; // two numbers: ambiguous
      found = value;
    } else if (!FILLER.has(token)) {
      return undefined;
    }
  }
  return found;
}

/** Lower case, no surrounding punctuation, single spaces. */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[.,!?:;()"'“”‘’*_~]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
