import type { Content, TemplateVariable } from '../content/model';
import type { Rng } from '../domain/clock';
import { AppError } from '../domain/errors';
import type { Locale } from '../domain/locale';

/** Values for a template's `{{variables}}`; a missing one renders as nothing. */
export type TemplateVars = Partial<Record<TemplateVariable, string | number>>;

export interface RenderOptions {
  locale: Locale;
  /** Channel name (`telegram`, `whatsapp`, `rest`…); selects the template's channel override. */
  channel?: string;
  vars: TemplateVars;
  /** Picks the variant; inject `seededRng` in tests. */
  rng: Rng;
}

/** What `{{customer_name}}` says when the customer's name is unknown. */
export const DEFAULT_CUSTOMER_NAME: Record<Locale, string> = { id: 'Kak', en: 'there' };

/** Longest customer display name we put in a reply; platform names can be arbitrarily long. */
const MAX_NAME_LENGTH = 40;

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
/** Stands in for an empty substitution until the spaces around it are tidied. */
const HOLE = '\u{F0000}';

/**
 * Renders one template: the channel's variants for `locale` when the template overrides that
 * channel, else the base variants; one variant picked with `rng`; `{{ name }}` replaced from
 * `vars`. A missing or empty variable renders as nothing and the double space (or the space before
 * punctuation) it would leave is removed: "Halo {{customer_name}}, ada" → "Halo, ada".
 *
 * Throws `CONTENT_INVALID` for an unknown template id: content validation makes that impossible,
 * so reaching it is a programming error.
 */
export function renderTemplate(content: Content, templateId: string, options: RenderOptions): string {
  const template = content.templates.get(templateId);
  if (!template) throw new AppError('CONTENT_INVALID', `Unknown template "${templateId}"`);
  const { locale, channel, vars, rng } = options;
  const override = channel !== undefined ? template.channels[channel]?.[locale] : undefined;
  const variants = override && override.length > 0 ? override : template.variants[locale];
  if (!variants || variants.length === 0) {
    throw new AppError('CONTENT_INVALID', `Template "${templateId}" has no ${locale} variants`);
  }
  const index = Math.min(variants.length - 1, Math.floor(rng.next() * variants.length));
  return fill(variants[index] ?? '', vars);
}

/** Replaces `{{ name }}` placeholders; see `renderTemplate` for how empty values are tidied. */
export function fill(text: string, vars: TemplateVars): string {
  const filled = text.replace(PLACEHOLDER, (_, name: string) => {
    const value = (vars as Record<string, string | number | undefined>)[name];
    const str = value === undefined ? '' : String(value);
    return str === '' ? HOLE : str;
  });
  if (!filled.includes(HOLE)) return filled;
  return filled
    .replace(new RegExp(`(^|\\n)${HOLE}[ \\t]+`, 'gu'), '$1')
    .replace(new RegExp(`[ \\t]+${HOLE}(?=[ \\t\\n,.!?;:…]|$)`, 'gu'), '')
    .replace(new RegExp(HOLE, 'gu'), '');
}

/**
 * The variables every reply may use: `customer_name` (the display name, or "Kak" / "there"),
 * `business_name` and `business_hours` (the routing's hours text in `locale`).
 */
export function baseVars(
  content: Content,
  locale: Locale,
  customerName?: string,
): { customer_name: string; business_name: string; business_hours: string } {
  const business = content.routing.business;
  return {
    customer_name: cleanName(customerName) || DEFAULT_CUSTOMER_NAME[locale],
    business_name: business.name,
    business_hours: business.hoursText[locale],
  };
}

/** One line, no template braces, bounded length: a platform display name is customer input. */
function cleanName(name: string | undefined): string {
  if (!name) return '';
  const oneLine = name.replace(/[{}]/g, '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine);
  return chars.length > MAX_NAME_LENGTH ? chars.slice(0, MAX_NAME_LENGTH).join('').trimEnd() : oneLine;
}

/**
 * Splits `text` into messages of at most `maxLength` UTF-16 units (the unit platforms count),
 * preferring paragraph breaks, then line breaks, then sentence ends, then spaces. A word is cut
 * only when it alone is longer than the limit (never inside a surrogate pair).
 */
export function splitText(text: string, maxLength: number): string[] {
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError('maxLength must be a positive integer');
  const trimmed = text.trim();
  if (trimmed.length <= maxLength) return trimmed ? [trimmed] : [];
  return splitAt(trimmed, maxLength, 0).filter((c) => c.length > 0);
}

/** Boundary levels, coarsest first: how to split, and what to join the pieces back with. */
const LEVELS: { split: (s: string) => string[]; join: string }[] = [
  { split: (s) => s.split(/\n[ \t]*\n\s*/), join: '\n\n' },
  { split: (s) => s.split(/\n/), join: '\n' },
  // After . ! ? … (and closing quotes/brackets), but not "1." of a numbered line or "17.00".
  { split: (s) => s.split(/(?<=[^\s\d][.!?…]+["'”’)\]]*)\s+/u), join: ' ' },
  { split: (s) => s.split(/\s+/), join: ' ' },
];

function splitAt(text: string, max: number, level: number): string[] {
  if (text.length <= max) return [text];
  const spec = LEVELS[level];
  if (!spec) return hardCut(text, max);
  const pieces = spec
    .split(text)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const out: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const parts = piece.length > max ? splitAt(piece, max, level + 1) : [piece];
    for (const part of parts) {
      if (!current) current = part;
      else if (current.length + spec.join.length + part.length <= max) current += spec.join + part;
      else {
        out.push(current);
        current = part;
      }
    }
  }
  if (current) out.push(current);
  return out;
}

function hardCut(word: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of word) {
    if (current.length + ch.length > max) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  if (current) out.push(current);
  return out;
}
