import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ContentProblem } from './problem';
import { SNAKE_ID } from './schema';
import { scanPlaceholders } from './template-variables';
import { parseYaml, problemAtKey, problemAtPath, syntaxProblems } from './yaml-positions';

/**
 * Canned responses: ready-made agent replies content staff keep in `templates/canned/*.yaml`
 * (a folder of its own, so the bot's template loader never sees them). The console offers them
 * in the reply box and fills the variables in before the agent sends:
 *
 * ```yaml
 * canned:
 *   opening:
 *     title: { id: Salam pembuka, en: Opening }
 *     text:
 *       id: "Halo {{customer_name}}, saya {{agent_name}} dari {{business_name}}. Saya bantu cek ya."
 *       en: "Hi {{customer_name}}, this is {{agent_name}} from {{business_name}}. Let me check."
 * ```
 */
export const CANNED_DIR = 'templates/canned';

/** What the console fills in; anything else is a validation error (no code would provide it). */
export const CANNED_VARIABLES = [
  'customer_name',
  'agent_name',
  'ticket_number',
  'business_name',
  'business_hours',
] as const;

export interface CannedResponse {
  id: string;
  title: { id: string; en: string };
  text: { id: string; en: string };
  /** `templates/canned/<file>.yaml`, for editors. */
  file: string;
}

const localized = (what: string, max: number) =>
  z.strictObject({
    id: z
      .string({ error: `${what} needs Indonesian text (id)` })
      .trim()
      .min(1, { error: `${what} needs Indonesian text (id)` })
      .max(max),
    en: z
      .string({ error: `${what} needs English text (en)` })
      .trim()
      .min(1, { error: `${what} needs English text (en)` })
      .max(max),
  });

export const cannedFileSchema = z.strictObject({
  // Ids are checked one by one below (a zod key error would hide the entries' own problems).
  canned: z.record(z.string(), z.strictObject({ title: localized('title', 60), text: localized('text', 2000) })),
});

/**
 * Reads and validates every `templates/canned/*.yaml` under `root`: the responses by id, or every
 * problem with its file position (unknown variables, duplicate ids, bad YAML, wrong shape). No
 * folder means no canned responses.
 */
export async function loadCanned(
  root: string,
): Promise<{ ok: true; responses: CannedResponse[] } | { ok: false; problems: ContentProblem[] }> {
  let names: string[];
  try {
    names = (await readdir(path.join(root, CANNED_DIR))).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, responses: [] };
    throw err;
  }
  const files = await Promise.all(
    names.map(async (n) => ({
      file: `${CANNED_DIR}/${n}`,
      text: await readFile(path.join(root, CANNED_DIR, n), 'utf8'),
    })),
  );
  return validateCanned(files);
}

/** The pure half of `loadCanned`: files in, responses or problems out. */
export function validateCanned(
  files: { file: string; text: string }[],
): { ok: true; responses: CannedResponse[] } | { ok: false; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const responses: CannedResponse[] = [];
  const seen = new Map<string, string>();
  for (const { file, text } of files) {
    const parsed = parseYaml(file, text);
    const syntax = syntaxProblems(parsed);
    if (syntax.length) {
      problems.push(...syntax);
      continue;
    }
    const result = cannedFileSchema.safeParse(parsed.doc.toJS());
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push(problemAtPath(parsed, issue.path as (string | number)[], issue.message));
      }
      continue;
    }
    for (const [id, entry] of Object.entries(result.data.canned)) {
      if (!SNAKE_ID.test(id)) {
        problems.push(
          problemAtKey(parsed, ['canned'], id, `canned response id "${id}" must be snake_case (e.g. ask_order_number)`),
        );
      }
      const other = seen.get(id);
      if (other)
        problems.push(problemAtPath(parsed, ['canned', id], `canned response "${id}" is also defined in ${other}`));
      seen.set(id, file);
      for (const locale of ['id', 'en'] as const) {
        for (const token of scanPlaceholders(entry.text[locale])) {
          if (token.kind !== 'variable') {
            problems.push(problemAtPath(parsed, ['canned', id, 'text', locale], `malformed placeholder ${token.raw}`));
          } else if (!(CANNED_VARIABLES as readonly string[]).includes(token.name)) {
            problems.push(
              problemAtPath(
                parsed,
                ['canned', id, 'text', locale],
                `canned response "${id}" uses {{${token.name}}}, which the console does not fill in (variables: ${CANNED_VARIABLES.join(', ')})`,
              ),
            );
          }
        }
      }
      responses.push({ id, title: entry.title, text: entry.text, file });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, responses };
}
