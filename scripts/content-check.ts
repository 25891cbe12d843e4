/**
 * `npm run content:check [-- --root <dir>] [--folds N] [--no-cv] [--update-baseline]`: the one
 * command content staff run before publishing.
 *
 * 1. Loads and validates the content under `<dir>` (default: the repository root) and prints every
 *    error and warning as `file:line:col message`, then a summary line. Stops here with exit code 1
 *    when there are errors, or with 0 under `--no-cv` (validation only, where speed matters).
 * 2. Cross-validates the bot's own NLU (`crossValidate`, the same `trainNlu` the bot runs) on the
 *    intents' examples and prints the report of `src/nlu/content-report.ts`: per-intent scores,
 *    confusable pairs with the sentences that went the wrong way, and examples that look like
 *    another intent's, each as `intents/<id>.yaml:line:col`.
 * 3. Applies the regression gate: exit code 1 when the accuracy is below the baseline in
 *    `<dir>/intents/nlu-baseline.json` minus its tolerance. No baseline file: passes with a
 *    warning. `--update-baseline` instead writes the current figures there (a deliberate act by
 *    content staff) and prints old → new.
 *
 * Folds and seed default to the baseline's (5 and 1 without one), so the gate compares like with
 * like; `--folds N` with another N runs the report but skips the gate. Bad arguments: exit code 2.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readContentFiles } from '../src/content/load';
import type { Content } from '../src/content/model';
import { formatProblem } from '../src/content/problem';
import { formatSummary, summarizeContent } from '../src/content/summary';
import { validateContent, type ContentFile } from '../src/content/validate';
import { parseYaml, positionOfPath } from '../src/content/yaml-positions';
import { LOCALES } from '../src/domain/locale';
import { trainingExamples } from '../src/engine/brain';
import {
  buildContentReport,
  formatContentReport,
  percent,
  regressionGate,
  type NluBaseline,
  type ReportExample,
} from '../src/nlu/content-report';
import { crossValidate } from '../src/nlu/cross-validate';

export const DEFAULT_ROOT = path.resolve(__dirname, '..');

/** Where the baseline lives, relative to the content root. */
export const BASELINE_FILE = 'intents/nlu-baseline.json';

const DEFAULT_FOLDS = 5;
const DEFAULT_SEED = 1;
const DEFAULT_TOLERANCE = 0.01;
const DEFAULT_NOTE =
  'Cross-validated NLU accuracy that content changes must not fall below (minus tolerance). ' +
  'Update deliberately with npm run content:check -- --update-baseline.';

const USAGE = 'usage: npm run content:check [-- --root <dir>] [--folds N] [--no-cv] [--update-baseline]';

/** The baseline file's shape. The tolerance is for float and ordering noise only, so it is capped. */
const baselineSchema = z.strictObject({
  folds: z.int().min(2),
  seed: z.int(),
  accuracy: z.number().min(0).max(1),
  macroF1: z.number().min(0).max(1),
  tolerance: z.number().min(0).max(0.05, { error: 'must be at most 0.05 (it covers noise, not real drops)' }),
  updated: z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be an ISO date (YYYY-MM-DD)' }),
  note: z.string().optional(),
});

type BaselineRead = { kind: 'missing' } | { kind: 'ok'; baseline: NluBaseline } | { kind: 'broken'; message: string };

/** Reads and validates the baseline; a broken file yields one message naming the file and every problem. */
async function readBaseline(file: string, label: string): Promise<BaselineRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'broken', message: `${label}: cannot read: ${(err as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { kind: 'broken', message: `${label}: not valid JSON: ${(err as Error).message}` };
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`);
    return { kind: 'broken', message: `${label}: invalid baseline: ${problems.join('; ')}` };
  }
  return { kind: 'ok', baseline: parsed.data };
}

/** `intents/<id>.yaml:line:col` of every example, keyed by intent, locale and index. */
function examplePositions(files: readonly ContentFile[], content: Content): Map<string, string> {
  const out = new Map<string, string>();
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const intent of content.intents) {
    const file = byPath.get(intent.source.file);
    if (!file) continue;
    const parsed = parseYaml(file.path, file.text);
    for (const locale of LOCALES) {
      intent.examples[locale].forEach((_, i) => {
        const pos = positionOfPath(parsed, ['examples', locale, i]);
        if (pos.exact) out.set(`${intent.id}\u0000${locale}\u0000${i}`, `${file.path}:${pos.line}:${pos.col}`);
      });
    }
  }
  return out;
}

/** The examples the bot trains on (`trainingExamples`, same order), each with where it is written. */
function reportExamples(files: readonly ContentFile[], content: Content): ReportExample[] {
  const positions = examplePositions(files, content);
  const seen = new Map<string, number>();
  return trainingExamples(content).map((e) => {
    const key = `${e.intent}\u0000${e.locale}`;
    const i = seen.get(key) ?? 0;
    seen.set(key, i + 1);
    const where = positions.get(`${key}\u0000${i}`);
    return where ? { ...e, where } : e;
  });
}

interface Args {
  root: string;
  folds?: number;
  cv: boolean;
  updateBaseline: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { root: DEFAULT_ROOT, cv: true, updateBaseline: false };
  const folds = (value: string | undefined): number | string => {
    const n = Number(value);
    return value !== undefined && /^\d+$/.test(value) && n >= 2
      ? n
      : `--folds needs an integer ≥ 2, got ${value ?? 'nothing'}`;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--root' && argv[i + 1] !== undefined) args.root = path.resolve(argv[++i]!);
    else if (arg.startsWith('--root=')) args.root = path.resolve(arg.slice('--root='.length));
    else if (arg === '--folds' || arg.startsWith('--folds=')) {
      const n = folds(arg === '--folds' ? argv[++i] : arg.slice('--folds='.length));
      if (typeof n === 'string') return n;
      args.folds = n;
    } else if (arg === '--no-cv') args.cv = false;
    else if (arg === '--update-baseline') args.updateBaseline = true;
    else return `unknown argument: ${arg}`;
  }
  if (!args.cv && args.updateBaseline) return '--update-baseline needs the cross-validation; drop --no-cv';
  return args;
}

/** Optional terminal extras; tests leave them out. */
export interface ContentCheckIo {
  /** Receives a transient progress text (e.g. rewritten in place on a TTY's stderr). */
  progress?: (text: string) => void;
  /** Today, for the baseline's `updated` field. */
  now?: () => Date;
}

/** Runs the check; `write` receives whole lines. Returns the process exit code. */
export async function runContentCheck(
  argv: readonly string[],
  write: (line: string) => void,
  io: ContentCheckIo = {},
): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    write(args);
    write(USAGE);
    return 2;
  }
  const { root } = args;

  write(`Checking content in ${root}`);
  const files = await readContentFiles(root);
  const result = validateContent(files);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (!result.ok) {
    write('');
    for (const e of result.errors) write(`${formatProblem(e)}`);
    for (const w of result.warnings) write(`${formatProblem({ ...w, message: `warning: ${w.message}` })}`);
    write('');
    write(`FAILED: ${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')}`);
    return 1;
  }
  if (result.warnings.length) {
    write('');
    for (const w of result.warnings) write(`${formatProblem({ ...w, message: `warning: ${w.message}` })}`);
  }
  write('');
  write(
    `OK: ${formatSummary(summarizeContent(result.content))}; ${plural(result.warnings.length, 'warning')} (version ${result.content.version})`,
  );
  if (!args.cv) return 0;

  // ---- cross-validation report --------------------------------------------------------------
  const baselinePath = path.join(root, BASELINE_FILE);
  const read = await readBaseline(baselinePath, BASELINE_FILE);
  if (read.kind === 'broken' && !args.updateBaseline) {
    write('');
    write(`FAILED: ${read.message}`);
    write(`Fix the file, or rewrite it from the current content with npm run content:check -- --update-baseline`);
    return 1;
  }
  const baseline = read.kind === 'ok' ? read.baseline : undefined;
  const folds = args.folds ?? baseline?.folds ?? DEFAULT_FOLDS;
  const seed = baseline?.seed ?? DEFAULT_SEED;

  const examples = reportExamples(files, result.content);
  const progress = io.progress;
  progress?.(`cross-validating ${folds} folds…`);
  const started = performance.now();
  const cv = crossValidate(examples, folds, seed, {}, (done, k) =>
    progress?.(`cross-validating ${k} folds… fold ${done}/${k}`),
  );
  const seconds = (performance.now() - started) / 1000;
  progress?.('');
  const report = buildContentReport(examples, cv, { folds, seed });
  write('');
  for (const line of formatContentReport(report)) write(line);
  write('');
  write(`(cross-validation took ${seconds.toFixed(1)} s: ${folds} trainings)`);

  // ---- baseline update or regression gate ---------------------------------------------------
  write('');
  if (args.updateBaseline) {
    const next: NluBaseline = {
      folds,
      seed,
      accuracy: round4(cv.accuracy),
      macroF1: round4(cv.macroF1),
      tolerance: baseline?.tolerance ?? DEFAULT_TOLERANCE,
      updated: (io.now?.() ?? new Date()).toISOString().slice(0, 10),
      note: baseline?.note ?? DEFAULT_NOTE,
    };
    await writeFile(baselinePath, `${JSON.stringify(next, null, 2)}\n`, 'utf8');
    const old =
      read.kind === 'ok'
        ? `accuracy ${percent(read.baseline.accuracy, 2)}, macro-F1 ${percent(read.baseline.macroF1, 2)} (${read.baseline.folds} folds, seed ${read.baseline.seed}, ${read.baseline.updated})`
        : read.kind === 'missing'
          ? 'none'
          : 'unreadable';
    write(`Baseline updated in ${BASELINE_FILE}:`);
    write(`  old: ${old}`);
    write(
      `  new: accuracy ${percent(next.accuracy, 2)}, macro-F1 ${percent(next.macroF1, 2)} (${folds} folds, seed ${seed}, ${next.updated})`,
    );
    write('Commit the file together with the content change it reflects.');
    return 0;
  }
  if (!baseline) {
    write(
      `warning: no ${BASELINE_FILE}, so the regression gate is off. Create it from the current content with npm run content:check -- --update-baseline`,
    );
    return 0;
  }
  const gate = regressionGate({ accuracy: cv.accuracy, folds, seed }, baseline, BASELINE_FILE);
  write(gate.message);
  return gate.passed ? 0 : 1;
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

if (require.main === module) {
  const stderr = process.stderr;
  const progress = stderr.isTTY
    ? (text: string) => stderr.write(`\r\x1b[K${text}`) // rewrite one line in place; '' clears it
    : undefined;
  runContentCheck(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`), {
    ...(progress ? { progress } : {}),
  }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`content check crashed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
