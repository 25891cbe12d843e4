/**
 * `npm run nlu:eval -- --train <file.jsonl> --test <file.jsonl> [--dev <file.jsonl> [--refit]]
 *   [--locale id|en] [--oos-label oos [--max-in-scope-loss 0.01]] [--json <out.json>] [--seed N]
 *   [--ablation]`
 *
 * Trains the bot's own NLU pipeline (`trainNlu`: normalization, features, classifier,
 * calibration) on --train and evaluates it on --test. Anything tuned is tuned on --dev or, without
 * one, by cross-validation on --train, never on --test: the softmax temperature (calibration) and,
 * with --oos-label, the out-of-scope rejection threshold. With --refit, once those are chosen the
 * final model is trained again on train + dev with them, as the bot trains on all the examples
 * it has; test is still never seen. See `bench/README.md` for the figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isLocale, type Locale } from '../src/domain/locale';
import { trainNlu, detectLocale, type NluModel, type NluOptions, type TrainingExample } from '../src/nlu';
import { confidenceBins, expectedCalibrationError, fitTemperature } from '../src/nlu/calibration';
import { DatasetError, parseJsonl, type LabelledText } from '../src/nlu/dataset';
import {
  chooseOosThreshold,
  classificationReport,
  DEFAULT_MAX_IN_SCOPE_LOSS,
  type ClassificationReport,
  oosReport,
  quantile,
  withRejection,
  type Prediction,
} from '../src/nlu/evaluate';
import type { TrainingProgress } from '../src/nlu/model';

const USAGE = `usage: npm run nlu:eval -- --train <file.jsonl> --test <file.jsonl> [--dev <file.jsonl> [--refit]]
       [--locale id|en] [--oos-label <label> [--max-in-scope-loss 0.01]] [--json <out.json>]
       [--seed <n>] [--ablation]`;

const argsSchema = z.object({
  train: z.string({ error: '--train <file.jsonl> is required' }),
  test: z.string({ error: '--test <file.jsonl> is required' }),
  dev: z.string().optional(),
  locale: z
    .string()
    .refine(isLocale, { message: '--locale must be id or en' })
    .optional()
    .transform((v) => v as Locale | undefined),
  'oos-label': z.string().min(1).optional(),
  json: z.string().optional(),
  'max-in-scope-loss': z.coerce
    .number()
    .min(0, '--max-in-scope-loss must be between 0 and 1')
    .max(1, '--max-in-scope-loss must be between 0 and 1')
    .default(DEFAULT_MAX_IN_SCOPE_LOSS),
  seed: z.coerce.number().int('--seed must be an integer').default(1),
  ablation: z.boolean().default(false),
  refit: z.boolean().default(false),
});
type Args = z.infer<typeof argsSchema>;

/** A usage problem: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

function parseCli(argv: readonly string[]): Args {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        train: { type: 'string' },
        test: { type: 'string' },
        dev: { type: 'string' },
        locale: { type: 'string' },
        'oos-label': { type: 'string' },
        'max-in-scope-loss': { type: 'string' },
        json: { type: 'string' },
        seed: { type: 'string' },
        ablation: { type: 'boolean' },
        refit: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('\n'));
  return parsed.data;
}

function readDataset(file: string): LabelledText[] {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseJsonl(content, file);
}

/** Training examples: the given locale, or each text's detected one. */
function toExamples(rows: readonly LabelledText[], locale: Locale | undefined): TrainingExample[] {
  return rows.map((r) => ({ text: r.text, intent: r.intent, locale: locale ?? detectLocale(r.text) }));
}

/** Heap plus array buffers (where the classifier's typed-array weights live). */
const memoryInUse = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

function predictAll(model: NluModel, rows: readonly LabelledText[], locale: Locale | undefined) {
  // Warm-up, so the first calls' JIT compilation is not counted as classification latency.
  for (const r of rows.slice(0, 20)) model.parse(r.text, locale);
  const latencies: number[] = [];
  const predictions: Prediction[] = rows.map((r) => {
    const started = process.hrtime.bigint();
    const top = model.parse(r.text, locale).ranking[0];
    latencies.push(Number(process.hrtime.bigint() - started) / 1000);
    return { expected: r.intent, predicted: top?.intent ?? '', confidence: top?.confidence ?? 0 };
  });
  return { predictions, latencies };
}

/** Where training progress goes: `update` as training advances, `done` once it has finished. */
export interface ProgressSink {
  update(progress: TrainingProgress): void;
  done(): void;
}

/** Progress on stderr: one rewritten line on a terminal (erased when done), a line per stage elsewhere. */
function stderrProgress(): ProgressSink {
  let lastStage = '';
  return {
    update(p) {
      const line = `  training: ${p.stage} ${p.stage === 'training' ? '' : `${p.step}/${p.total}`}`.trimEnd();
      if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(60)}`);
      else if (p.stage !== lastStage) process.stderr.write(`${line}\n`);
      lastStage = p.stage;
    },
    done() {
      if (process.stderr.isTTY) process.stderr.write('\r'.padEnd(62) + '\r');
    },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

interface Trained {
  model: NluModel;
  /** Fitting on train and tuning on dev. */
  trainSeconds: number;
  /** With --refit: the second fit, on train + dev. */
  refitSeconds: number | undefined;
  heapBytes: number;
  /** Dev predictions with calibrated confidences (empty without --dev). */
  dev: Prediction[];
  devEce: number | undefined;
}

/**
 * Trains on `train` the way the bot does. With a dev set the temperature is fitted on dev
 * (cheaper and better than the bot's internal cross-validation, and it is what dev is for);
 * without one the bot's own calibration (k-fold on train) runs.
 *
 * With --refit the model that is returned is a second one, trained on train + dev with the
 * temperature fitted above. The dev predictions (from which the OOS threshold is chosen) stay
 * those of the first model: a model's confidences on its own training examples say nothing
 * about how it does on new ones.
 */
function train(
  args: Args,
  trainRows: LabelledText[],
  devRows: LabelledText[] | undefined,
  options: NluOptions,
): Trained {
  const examples = toExamples(trainRows, args.locale);
  const heapBefore = memoryInUse();
  const started = performance.now();
  let model = trainNlu(examples, { ...options, seed: args.seed, calibrationFolds: devRows ? 0 : undefined });
  let dev: Prediction[] = [];
  if (devRows) {
    const index = new Map(model.intents.map((intent, i) => [intent, i]));
    const scored = devRows
      .filter((r) => index.has(r.intent))
      .map((r) => ({ logits: model.scores(r.text, args.locale), label: index.get(r.intent) ?? 0 }));
    model = model.withTemperature(fitTemperature(scored));
    dev = predictAll(model, devRows, args.locale).predictions;
  }
  const trainSeconds = (performance.now() - started) / 1000;
  let refitSeconds: number | undefined;
  if (args.refit && devRows) {
    const refitStarted = performance.now();
    model = trainNlu([...examples, ...toExamples(devRows, args.locale)], {
      ...options,
      seed: args.seed,
      temperature: model.temperature,
    });
    refitSeconds = (performance.now() - refitStarted) / 1000;
  }
  const heapBytes = Math.max(0, memoryInUse() - heapBefore);
  const devEce = devRows ? expectedCalibrationError(inScope(dev, args)) : undefined;
  return { model, trainSeconds, refitSeconds, heapBytes, dev, devEce };
}

/** Calibration is about the classifier's own intents: OOS examples have no right answer to hit. */
function inScope(predictions: readonly Prediction[], args: Args) {
  return predictions
    .filter((p) => p.expected !== args['oos-label'])
    .map((p) => ({ confidence: p.confidence, correct: p.predicted === p.expected }));
}

function histogram(predictions: readonly Prediction[]): string[] {
  const bins = confidenceBins(
    predictions.map((p) => ({ confidence: p.confidence, correct: p.predicted === p.expected })),
  );
  const most = Math.max(1, ...bins.map((b) => b.count));
  return bins.map(
    (b) =>
      `    ${b.from.toFixed(1)}–${b.to.toFixed(1)} ${String(b.count).padStart(6)}  right ${b.count ? pct(b.correct / b.count).padStart(7) : '      –'}  ${'#'.repeat(Math.round((b.count / most) * 30))}`,
  );
}

/**
 * Runs the evaluation for command-line `argv`, writing the report with `out` and training progress
 * to `progress` (stderr by default; a caller with progress lines of its own, like `bench:nlu`,
 * passes a silent sink); returns the figures (what `--json` writes). Throws `UsageError` /
 * `DatasetError` on bad arguments or data.
 */
export async function runNluEval(
  argv: readonly string[],
  out: (line: string) => void,
  progress: ProgressSink = stderrProgress(),
): Promise<EvalResult> {
  const args = parseCli(argv);
  const oosLabel = args['oos-label'];
  if (oosLabel && !args.dev) throw new UsageError('--oos-label needs --dev: the rejection threshold is chosen on dev');
  if (args.refit && !args.dev) throw new UsageError('--refit needs --dev: it trains again on train + dev');
  const trainRows = readDataset(args.train);
  const testRows = readDataset(args.test);
  const devRows = args.dev ? readDataset(args.dev) : undefined;

  out(
    `nlu:eval  train ${path.basename(args.train)} (${trainRows.length})  test ${path.basename(args.test)} (${testRows.length})${devRows ? `  dev ${path.basename(args.dev ?? '')} (${devRows.length})` : ''}`,
  );
  out(`  locale: ${args.locale ?? 'detected per text'}   seed: ${args.seed}`);
  const trained = train(args, trainRows, devRows, { onProgress: (p) => progress.update(p) });
  progress.done();
  const { model } = trained;

  const threshold = oosLabel ? chooseOosThreshold(trained.dev, oosLabel, args['max-in-scope-loss']).threshold : 0;
  const raw = predictAll(model, testRows, args.locale);
  const predictions = oosLabel ? raw.predictions.map((p) => withRejection(p, threshold, oosLabel)) : raw.predictions;
  const report = classificationReport(predictions);
  const oos = oosLabel ? oosReport(raw.predictions, threshold, oosLabel) : undefined;
  const testEce = expectedCalibrationError(inScope(raw.predictions, args));
  const p50 = quantile(raw.latencies, 0.5);
  const p99 = quantile(raw.latencies, 0.99);

  out('');
  out(
    `  accuracy ${pct(report.accuracy)}   macro-F1 ${pct(report.macroF1)}   (${testRows.length} test examples, ${model.intents.length} intents)`,
  );
  if (oos) {
    out(
      `  out of scope (${oosLabel}): threshold ${oos.threshold.toFixed(3)} (chosen on dev: most OOS rejected at ≤ ${pct(args['max-in-scope-loss'])} in-scope cost)`,
    );
    out(
      `    in-scope accuracy ${pct(oos.inScopeAccuracy)}   OOS recall ${pct(oos.oosRecall)}   OOS precision ${pct(oos.oosPrecision)}`,
    );
  }
  out(
    `  calibration: temperature ${model.temperature.toFixed(3)}; ECE ${trained.devEce === undefined ? '' : `dev ${pct(trained.devEce)}, `}test ${pct(testEce)}`,
  );
  if (trained.refitSeconds !== undefined) {
    out(
      `  refit: final model trained on train + dev (${trainRows.length + (devRows?.length ?? 0)}) in ${trained.refitSeconds.toFixed(2)} s, with the temperature and threshold chosen above`,
    );
  }
  out(`  training ${trained.trainSeconds.toFixed(2)} s   classify p50 ${p50.toFixed(0)} µs, p99 ${p99.toFixed(0)} µs`);
  out(
    `  model: ${model.stats.features} features × ${model.intents.length} intents, weights ${mb(model.stats.weightBytes)}; heap +${mb(trained.heapBytes)} after training`,
  );
  out('');
  out('  confidence histogram (test, top intent):');
  for (const line of histogram(raw.predictions)) out(line);
  out('');
  out('  per intent, weakest first (F1, precision, recall, support):');
  const perIntent = Object.entries(report.perIntent).sort((a, b) => a[1].f1 - b[1].f1);
  for (const [intent, s] of perIntent) {
    out(
      `    ${intent.padEnd(32)} ${pct(s.f1).padStart(7)} ${pct(s.precision).padStart(7)} ${pct(s.recall).padStart(7)} ${String(s.support).padStart(5)}`,
    );
  }
  out('  most confused (expected → predicted: count):');
  for (const c of report.confusions.slice(0, 10)) out(`    ${c.expected} → ${c.predicted}: ${c.count}`);

  const ablation: Record<string, number> = {};
  if (args.ablation) {
    out('');
    out('  ablation (same data, seed and calibration; accuracy on test):');
    const variants: [string, NluOptions['pipeline']][] = [
      ['full pipeline', { lexicon: true, stemming: true }],
      ['no slang lexicon', { lexicon: false, stemming: true }],
      ['no stemming', { lexicon: true, stemming: false }],
      ['neither', { lexicon: false, stemming: false }],
    ];
    for (const [name, pipeline] of variants) {
      const variant = name === 'full pipeline' ? trained : train(args, trainRows, devRows, { pipeline });
      const r = classificationReport(
        predictAll(variant.model, testRows, args.locale).predictions.map((p) =>
          oosLabel ? withRejection(p, threshold, oosLabel) : p,
        ),
      );
      ablation[name] = r.accuracy;
      out(`    ${name.padEnd(18)} ${pct(r.accuracy)}  (Δ ${((r.accuracy - report.accuracy) * 100).toFixed(2)} points)`);
    }
  }

  const result = {
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    inScopeAccuracy: oos?.inScopeAccuracy ?? report.accuracy,
    oosRecall: oos?.oosRecall ?? null,
    oosPrecision: oos?.oosPrecision ?? null,
    threshold: oos?.threshold ?? null,
    temperature: model.temperature,
    ece: { dev: trained.devEce ?? null, test: testEce },
    trainSeconds: trained.trainSeconds,
    refitSeconds: trained.refitSeconds ?? null,
    latencyMicros: { p50, p99 },
    memory: { features: model.stats.features, weightBytes: model.stats.weightBytes, heapBytes: trained.heapBytes },
    examples: { train: trainRows.length, dev: devRows?.length ?? 0, test: testRows.length },
    intents: model.intents.length,
    seed: args.seed,
    locale: args.locale ?? null,
    perIntent: report.perIntent,
    confusions: report.confusions.slice(0, 20),
    ...(args.ablation ? { ablation } : {}),
  };
  if (args.json) {
    fs.writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
    out('');
    out(`  wrote ${args.json}`);
  }
  return result;
}

/** The figures of one evaluation, as `--json` writes them. */
export type EvalResult = {
  accuracy: number;
  macroF1: number;
  inScopeAccuracy: number;
  oosRecall: number | null;
  oosPrecision: number | null;
  threshold: number | null;
  temperature: number;
  ece: { dev: number | null; test: number };
  trainSeconds: number;
  /** With --refit: seconds of the second fit, on train + dev; otherwise null. */
  refitSeconds: number | null;
  latencyMicros: { p50: number; p99: number };
  memory: { features: number; weightBytes: number; heapBytes: number };
  examples: { train: number; dev: number; test: number };
  intents: number;
  seed: number;
  locale: Locale | null;
  perIntent: ClassificationReport['perIntent'];
  confusions: ClassificationReport['confusions'];
  ablation?: Record<string, number>;
};

if (require.main === module) {
  runNluEval(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
    () => process.exit(0),
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`${err.message}\n${USAGE}\n`);
        process.exit(2);
      }
      if (err instanceof DatasetError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
      }
      process.stderr.write(`nlu:eval crashed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
