import { z } from 'zod';

/**
 * Labelled data sets for evaluation, in JSONL: one `{"text": "...", "intent": "..."}` object per
 * line (the format of `../shared/datasets` and of most public intent corpora). Blank lines are
 * skipped; other keys are ignored. Parsing is pure (the caller reads the file) and reports every
 * bad line at once as `file:line message`, so a broken 15,000-line file is fixed in one pass.
 */
const rowSchema = z.object({
  text: z.string().trim().min(1, 'text is empty'),
  intent: z.string().trim().min(1, 'intent is empty'),
});

export type LabelledText = z.infer<typeof rowSchema>;

export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} cannot be used:\n${problems.join('\n')}`);
    this.name = 'DatasetError';
  }
}

/** At most this many problems are listed (the count says how many there were). */
const MAX_LISTED = 20;

/** Parses JSONL `content` read from `file`. Throws a `DatasetError` listing every bad line. */
export function parseJsonl(content: string, file: string): LabelledText[] {
  const rows: LabelledText[] = [];
  const problems: string[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`${where} not a JSON object`);
      return;
    }
    const parsed = rowSchema.safeParse(value);
    if (parsed.success) rows.push(parsed.data);
    else
      problems.push(
        `${where} ${parsed.error.issues.map((x) => `${x.path.join('.') || 'line'}: ${x.message}`).join('; ')}`,
      );
  });
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED);
    if (problems.length > MAX_LISTED) listed.push(`… and ${problems.length - MAX_LISTED} more`);
    throw new DatasetError(file, listed);
  }
  if (rows.length === 0) throw new DatasetError(file, [`${file} has no examples`]);
  return rows;
}
