import type { CrossValidation } from './cross-validate';
import type { TrainingExample } from './types';

/**
 * What content staff read before publishing: a cross-validation run turned into a quality report
 * (how well each intent is recognised, which intents get mixed up, which sentences look like they
 * belong to another intent) plus the regression gate against a baseline kept in the repository.
 * Pure: the caller reads the files, runs `crossValidate`, and prints the lines.
 *
 * ```ts
 * const cv = crossValidate(examples, 5, 1);
 * const report = buildContentReport(examples, cv);
 * for (const line of formatContentReport(report)) console.log(line);
 * const gate = regressionGate({ accuracy: cv.accuracy, folds: 5, seed: 1 }, baseline, 'intents/nlu-baseline.json');
 * ```
 */

/** A training example, optionally with where it is written (`intents/x.yaml:12:7`) for the report. */
export interface ReportExample extends TrainingExample {
  where?: string;
}

/** One held-out example the model put under another intent. */
export interface Misroute {
  /** The intent the example is written under. */
  intent: string;
  locale: TrainingExample['locale'];
  text: string;
  /** The intent the model (trained without this example) ranked first. */
  predicted: string;
  /** The model's confidence in `predicted`, in [0, 1]. */
  confidence: number;
  where?: string;
}

/** Two intents mistaken for each other, counting both directions. */
export interface ConfusablePair {
  /** The intent whose examples went the wrong way more often (alphabetical on a tie). */
  a: string;
  b: string;
  /** `aAsB + bAsA`. */
  count: number;
  /** Examples of `a` predicted as `b`. */
  aAsB: number;
  /** Examples of `b` predicted as `a`. */
  bAsA: number;
  /** A few of the sentences that went the wrong way, most confidently wrong first. */
  examples: Misroute[];
}

export interface IntentRow {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of examples of the intent. */
  support: number;
}

export interface ContentReport {
  folds: number;
  seed: number;
  examples: number;
  intents: number;
  accuracy: number;
  macroF1: number;
  /** Every intent, weakest F1 first (then by name). */
  perIntent: IntentRow[];
  /** The most confused pairs, most misclassifications first. */
  pairs: ConfusablePair[];
  /**
   * Examples that look like another intent's: misclassified out of fold with a confidence of at
   * least `lookAlikeConfidence`, most confident first. Low-confidence misses are the model being
   * unsure; confident misses usually mean the sentence really reads like the other intent (or is
   * under the wrong intent), so they are worth rewriting or moving.
   */
  lookAlikes: Misroute[];
  lookAlikeConfidence: number;
}

export interface ContentReportOptions {
  /** Folds and seed the run used (for the header). Defaults: 5 and 1. */
  folds?: number;
  seed?: number;
  /** How many confusable pairs to keep. Default 8. */
  pairs?: number;
  /** How many example sentences to keep per pair. Default 3. */
  examplesPerPair?: number;
  /** Minimum out-of-fold confidence for a misclassified example to count as a look-alike. Default 0.5. */
  lookAlikeConfidence?: number;
}

const byConfidence = (x: Misroute, y: Misroute): number =>
  y.confidence - x.confidence || x.intent.localeCompare(y.intent) || x.text.localeCompare(y.text);

/**
 * Builds the report from the examples and the cross-validation run over **the same examples in
 * the same order** (`cv.predictions[i]` belongs to `examples[i]`). Throws if they do not match.
 */
export function buildContentReport(
  examples: readonly ReportExample[],
  cv: CrossValidation,
  options: ContentReportOptions = {},
): ContentReport {
  if (cv.predictions.length !== examples.length) {
    throw new RangeError(`cross-validation has ${cv.predictions.length} predictions for ${examples.length} examples`);
  }
  const threshold = options.lookAlikeConfidence ?? 0.5;

  const misroutes: Misroute[] = [];
  examples.forEach((e, i) => {
    const p = cv.predictions[i]!;
    if (p.expected !== e.intent)
      throw new RangeError(`prediction ${i} is for "${p.expected}", example is "${e.intent}"`);
    if (p.predicted === e.intent) return;
    misroutes.push({
      intent: e.intent,
      locale: e.locale,
      text: e.text,
      predicted: p.predicted,
      confidence: p.confidence,
      ...(e.where !== undefined ? { where: e.where } : {}),
    });
  });
  misroutes.sort(byConfidence);

  const pairMap = new Map<string, { x: string; y: string; xAsY: number; yAsX: number; misses: Misroute[] }>();
  for (const m of misroutes) {
    const [x, y] = m.intent < m.predicted ? [m.intent, m.predicted] : [m.predicted, m.intent];
    const key = `${x}\u0000${y}`;
    const entry = pairMap.get(key) ?? { x, y, xAsY: 0, yAsX: 0, misses: [] };
    if (m.intent === x) entry.xAsY++;
    else entry.yAsX++;
    entry.misses.push(m); // already most confident first
    pairMap.set(key, entry);
  }
  const pairs: ConfusablePair[] = [...pairMap.values()]
    .map(({ x, y, xAsY, yAsX, misses }) => {
      const flip = yAsX > xAsY;
      return {
        a: flip ? y : x,
        b: flip ? x : y,
        count: xAsY + yAsX,
        aAsB: flip ? yAsX : xAsY,
        bAsA: flip ? xAsY : yAsX,
        examples: misses.slice(0, options.examplesPerPair ?? 3),
      };
    })
    .sort((p, q) => q.count - p.count || p.a.localeCompare(q.a) || p.b.localeCompare(q.b))
    .slice(0, options.pairs ?? 8);

  const perIntent: IntentRow[] = Object.entries(cv.perIntent)
    .map(([intent, s]) => ({ intent, ...s }))
    .sort((p, q) => p.f1 - q.f1 || p.intent.localeCompare(q.intent));

  return {
    folds: options.folds ?? 5,
    seed: options.seed ?? 1,
    examples: examples.length,
    intents: perIntent.length,
    accuracy: cv.accuracy,
    macroF1: cv.macroF1,
    perIntent,
    pairs,
    lookAlikes: misroutes.filter((m) => m.confidence >= threshold),
    lookAlikeConfidence: threshold,
  };
}

/** `92.0%`. */
export const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;

function misrouteLine(m: Misroute): string {
  const where = m.where ? `${m.where} ` : '';
  return `${where}${m.intent} [${m.locale}] "${m.text}" → ${m.predicted} (${m.confidence.toFixed(2)})`;
}

/**
 * The report as plain lines for a terminal or CI log. Shows at most `maxLookAlikes` look-alike
 * examples (default 20) and says how many more there are.
 */
export function formatContentReport(report: ContentReport, options: { maxLookAlikes?: number } = {}): string[] {
  const lines: string[] = [];
  lines.push(
    `Cross-validation: ${report.folds} folds, seed ${report.seed}, ${report.examples} examples, ${report.intents} intents`,
    `  accuracy ${percent(report.accuracy)}   macro-F1 ${percent(report.macroF1)}`,
    '',
    'Per intent, weakest first (P: of the messages the bot puts here, how many belong here;',
    'R: of this intent’s examples, how many the bot recognises; F1 combines both):',
  );
  const width = Math.max(6, ...report.perIntent.map((r) => r.intent.length));
  lines.push(`  ${'intent'.padEnd(width)}  ${'F1'.padStart(6)}  ${'P'.padStart(6)}  ${'R'.padStart(6)}  examples`);
  for (const r of report.perIntent) {
    lines.push(
      `  ${r.intent.padEnd(width)}  ${percent(r.f1).padStart(6)}  ${percent(r.precision).padStart(6)}  ${percent(r.recall).padStart(6)}  ${String(r.support).padStart(8)}`,
    );
  }

  lines.push('', 'Confusable intent pairs (misclassified in either direction):');
  if (!report.pairs.length) lines.push('  none');
  for (const p of report.pairs) {
    lines.push(`  ${p.a} ↔ ${p.b}: ${p.count} (${p.aAsB} of ${p.a} as ${p.b}, ${p.bAsA} of ${p.b} as ${p.a})`);
    for (const m of p.examples) lines.push(`    ${misrouteLine(m)}`);
  }

  const max = options.maxLookAlikes ?? 20;
  lines.push(
    '',
    `Examples that look like another intent’s (predicted elsewhere with confidence ≥ ${report.lookAlikeConfidence.toFixed(2)}):`,
  );
  if (!report.lookAlikes.length) lines.push('  none');
  for (const m of report.lookAlikes.slice(0, max)) lines.push(`  ${misrouteLine(m)}`);
  if (report.lookAlikes.length > max) lines.push(`  … and ${report.lookAlikes.length - max} more`);
  return lines;
}

/** The accuracy a content change must not fall below, kept in the repository (`intents/nlu-baseline.json`). */
export interface NluBaseline {
  /** Folds and seed the figures were measured with; the gate only compares like with like. */
  folds: number;
  seed: number;
  accuracy: number;
  macroF1: number;
  /** Allowed drop below `accuracy` (float and ordering noise only, e.g. 0.01). */
  tolerance: number;
  /** When content staff last set it (ISO date). */
  updated: string;
  note?: string;
}

export interface GateVerdict {
  /** False only when the gate was applied and accuracy fell below the floor. */
  passed: boolean;
  /** False when the run is not comparable with the baseline (other folds or seed). */
  applied: boolean;
  /** `baseline.accuracy − baseline.tolerance`. */
  floor: number;
  /** One line saying what happened and what to do. */
  message: string;
}

/**
 * The regression gate: fails when the cross-validated accuracy is below
 * `baseline.accuracy − baseline.tolerance`. Runs with other folds or another seed than the
 * baseline's are not comparable, so the gate is then not applied (and says so). `source` names the
 * baseline file in the message.
 */
export function regressionGate(
  measured: { accuracy: number; folds: number; seed: number },
  baseline: NluBaseline,
  source: string,
): GateVerdict {
  const floor = baseline.accuracy - baseline.tolerance;
  const base = `baseline ${percent(baseline.accuracy, 2)} − tolerance ${percent(baseline.tolerance, 2)} in ${source}, updated ${baseline.updated}`;
  if (measured.folds !== baseline.folds || measured.seed !== baseline.seed) {
    return {
      passed: true,
      applied: false,
      floor,
      message: `regression gate not applied: this run used ${measured.folds} folds, seed ${measured.seed}; ${source} was measured with ${baseline.folds} folds, seed ${baseline.seed}`,
    };
  }
  // A hair of slack so that 0.92 − 0.01 vs 0.91 is not decided by float rounding.
  if (measured.accuracy + 1e-9 < floor) {
    return {
      passed: false,
      applied: true,
      floor,
      message: `regression gate FAILED: accuracy ${percent(measured.accuracy, 2)} is below ${percent(floor, 2)} (${base}). Fix the examples listed above, or, if the drop is deliberate, update the baseline with npm run content:check -- --update-baseline`,
    };
  }
  return {
    passed: true,
    applied: true,
    floor,
    message: `regression gate passed: accuracy ${percent(measured.accuracy, 2)} ≥ ${percent(floor, 2)} (${base})`,
  };
}
