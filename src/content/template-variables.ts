/**
 * Finding `{{ variable }}` placeholders in template text. Pure; used by the validator (and usable
 * by the renderer to agree on the same syntax).
 */

/** Variable names: lowercase snake_case, e.g. `customer_name`. */
const VARIABLE_NAME = /^[a-z_][a-z0-9_]*$/;

export type PlaceholderToken =
  /** A well-formed `{{ name }}`; `raw` is the exact text, `index` its offset in the string. */
  | { kind: 'variable'; name: string; raw: string; index: number }
  /** `{{` without a closing `}}`. */
  | { kind: 'unclosed'; raw: string; index: number }
  /** `{{ … }}` whose inside is not a variable name (e.g. `{{ }}`, `{{ team name }}`). */
  | { kind: 'invalid'; raw: string; index: number };

/** Every placeholder in `text`, in order. Whitespace inside the braces is allowed. */
export function scanPlaceholders(text: string): PlaceholderToken[] {
  const out: PlaceholderToken[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('{{', from);
    if (start < 0) return out;
    const end = text.indexOf('}}', start + 2);
    if (end < 0) {
      out.push({ kind: 'unclosed', raw: text.slice(start, start + 12), index: start });
      return out;
    }
    const raw = text.slice(start, end + 2);
    const inner = text.slice(start + 2, end).trim();
    if (VARIABLE_NAME.test(inner)) out.push({ kind: 'variable', name: inner, raw, index: start });
    else out.push({ kind: 'invalid', raw, index: start });
    from = end + 2;
  }
}
