import type { VerificationField } from '../content/model';
import { AppError } from '../domain/errors';
import type { Locale } from '../domain/locale';

/** Compiled field patterns, by source: content is reloaded rarely, messages arrive often. */
const compiled = new Map<string, RegExp>();

function patternOf(field: VerificationField): RegExp {
  let re = compiled.get(field.pattern);
  if (!re) {
    try {
      re = new RegExp(field.pattern);
    } catch (err) {
      // Content validation compiles every pattern, so this is a programming error.
      throw new AppError('CONTENT_INVALID', `Verification field "${field.id}" has an invalid pattern`, undefined, {
        cause: err,
      });
    }
    compiled.set(field.pattern, re);
  }
  return re;
}

/**
 * Finds each identity field in the customer's reply with the field's `pattern` (first match,
 * trimmed). Returns the values found by field id and the ids still missing, in field order.
 */
export function extractFields(
  text: string,
  fields: VerificationField[],
): { found: Record<string, string>; missing: string[] } {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const field of fields) {
    const value = patternOf(field).exec(text)?.[0]?.trim();
    if (value) found[field.id] = value;
    else missing.push(field.id);
  }
  return { found, missing };
}

/** Negations (formal and chat Indonesian) and what they may negate to mean "I won't / can't give it". */
const NEGATIONS = [
  'tidak',
  'tdk',
  'gak',
  'ga',
  'gk',
  'nggak',
  'ngga',
  'enggak',
  'engga',
  'ndak',
  'nda',
  'belum',
  'blm',
];
const NEGATED = ['mau', 'punya', 'tau', 'tahu', 'ingat', 'inget', 'hafal', 'apal', 'bisa kasih', 'mau kasih'];

/** Phrases that decline wherever they appear (matched on whole words). */
const DECLINE_PHRASES: string[] = [
  ...NEGATIONS.flatMap((n) => NEGATED.map((w) => `${n} ${w}`)),
  'lewati',
  'lewatin',
  'lewat aja',
  'skip',
  'ogah',
  'lupa',
  'gatau',
  'gktau',
  'gapunya',
  'rahasia',
  'privasi',
  'nanti aja',
  "don't have",
  'dont have',
  'do not have',
  "don't know",
  'dont know',
  'do not know',
  "don't remember",
  'dont remember',
  'forgot',
  'forget it',
  'rather not',
  'prefer not',
  'no thanks',
  'not now',
  'pass',
];

/**
 * Replies that decline only when they are the whole message: "no" also abbreviates "nomor"
 * ("no pelanggan 1234567890"), and "tidak" alone is an answer, inside a sentence it is not.
 */
const DECLINE_WHOLE = new Set([
  // "belum" alone means "not yet", not a refusal; "nda" is too ambiguous on its own.
  ...NEGATIONS.filter((n) => !['belum', 'blm', 'nda'].includes(n)),
  'no',
  'nope',
  'nah',
  'emoh',
  'jangan',
]);

/**
 * Whether the customer declines to give the identity details ("lewati", "gak punya", "lupa",
 * "rahasia", "skip", "I'd rather not", "no"…). Works on lower-cased text with punctuation
 * removed and stretched letters folded ("gaaak mauuu" → "gak mau").
 */
export function isDecline(text: string): boolean {
  const norm = normalizeLight(text);
  if (!norm) return false;
  if (DECLINE_WHOLE.has(norm)) return true;
  const padded = ` ${norm} `;
  return DECLINE_PHRASES.some((p) => padded.includes(` ${p} `));
}

function normalizeLight(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The fields' labels as one phrase for `{{fields}}`: "A", "A dan B", "A, B dan C"
 * ("and" in English).
 */
export function formatFieldList(fields: VerificationField[], locale: Locale): string {
  const labels = fields.map((f) => f.label[locale]);
  const and = locale === 'id' ? 'dan' : 'and';
  if (labels.length <= 1) return labels[0] ?? '';
  return `${labels.slice(0, -1).join(', ')} ${and} ${labels[labels.length - 1]}`;
}
