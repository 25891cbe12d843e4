/**
 * `npm run bench:nlu [-- --data <dir>] [--only banking77,clinc150,xsid,maju]`: the NLU figures of
 * `bench/README.md`, measured in one run.
 *
 * Reads the labelled train/dev splits under `../shared/datasets` (never copied into the project;
 * their test splits are held out and not available here) and the project's own sample content,
 * runs `nlu:eval` (`runNluEval`, the same code as the command) on each, and prints a Markdown
 * table. Beside each data set it trains natural's `BayesClassifier` on the same split, the
 * "simple baseline" of the issue, so every accuracy is also shown as a ratio to a baseline
 * measured in the same run on the same machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BayesClassifier } from 'natural/lib/natural/classifiers';
import { loadContent } from '../src/content/load';
import { parseJsonl, type LabelledText } from '../src/nlu/dataset';
import { stratifiedFolds } from '../src/nlu/folds';
import { buildBrain } from '../src/engine/brain';
import { runNluEval, type EvalResult, type ProgressSink } from '../scripts/nlu-eval';

const ROOT = path.resolve(__dirname, '..');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve(ROOT, '../shared/datasets') },
    only: { type: 'string', default: 'banking77,clinc150,xsid,maju' },
  },
});
const DATA = path.resolve(values.data);
const ONLY = new Set(values.only.split(','));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nlu-'));
const quiet = () => undefined;
/** The bench prints a line per fold itself; the evaluation's own training progress would drown it. */
const silent: ProgressSink = { update: quiet, done: quiet };

const read = (file: string) => parseJsonl(fs.readFileSync(file, 'utf8'), file);
const write = (file: string, rows: readonly LabelledText[]) => {
  fs.writeFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return file;
};

/** Stratified split: fold `fold` of `k` → second part, the rest → first part. */
function split(rows: readonly LabelledText[], k: number, fold: number): [LabelledText[], LabelledText[]] {
  const folds = stratifiedFolds(
    rows.map((r) => r.intent),
    k,
    1,
  );
  return [rows.filter((_, i) => folds[i] !== fold), rows.filter((_, i) => folds[i] === fold)];
}

/** natural's Naive Bayes (its defaults: Porter stemmer, word tokens), accuracy on `test`. */
function bayesAccuracy(train: readonly LabelledText[], test: readonly LabelledText[]): number {
  const bayes = new BayesClassifier();
  for (const r of train) bayes.addDocument(r.text, r.intent);
  bayes.train();
  return test.filter((r) => bayes.classify(r.text) === r.intent).length / test.length;
}

interface Row {
  name: string;
  setup: string;
  result: EvalResult;
  bayes: number;
}

/** The figures of several evaluations of one setup (folds), averaged; the rest from the first. */
function meanOf(results: readonly EvalResult[]): EvalResult {
  const mean = (f: (r: EvalResult) => number) => results.reduce((s, r) => s + f(r), 0) / results.length;
  const meanOrNull = (f: (r: EvalResult) => number | null) =>
    results.some((r) => f(r) === null) ? null : mean((r) => f(r) ?? 0);
  const first = results[0] as EvalResult;
  const ablation = first.ablation
    ? Object.fromEntries(Object.keys(first.ablation).map((k) => [k, mean((r) => r.ablation?.[k] ?? 0)]))
    : undefined;
  return {
    ...first,
    accuracy: mean((r) => r.accuracy),
    macroF1: mean((r) => r.macroF1),
    inScopeAccuracy: mean((r) => r.inScopeAccuracy),
    oosRecall: meanOrNull((r) => r.oosRecall),
    oosPrecision: meanOrNull((r) => r.oosPrecision),
    threshold: meanOrNull((r) => r.threshold),
    ece: { dev: meanOrNull((r) => r.ece.dev), test: mean((r) => r.ece.test) },
    trainSeconds: mean((r) => r.trainSeconds),
    refitSeconds: meanOrNull((r) => r.refitSeconds),
    latencyMicros: { p50: mean((r) => r.latencyMicros.p50), p99: mean((r) => r.latencyMicros.p99) },
    ...(ablation ? { ablation } : {}),
  };
}

const FOLDS = 5;

/** Runs nlu:eval on each of `FOLDS` stratified folds of `rows` in turn, averaged, with extra arguments. */
async function crossEval(name: string, rows: readonly LabelledText[], extra: string[]): Promise<Row> {
  const results: EvalResult[] = [];
  let bayes = 0;
  for (let fold = 0; fold < FOLDS; fold++) {
    const [train, test] = split(rows, FOLDS, fold);
    const dir = fs.mkdtempSync(path.join(TMP, `${name}-`));
    const args = [
      '--train',
      write(path.join(dir, 'train.jsonl'), train),
      '--test',
      write(path.join(dir, 'test.jsonl'), test),
    ];
    results.push(await runNluEval([...args, ...extra], quiet, silent));
    bayes += bayesAccuracy(train, test);
    process.stderr.write(`  ${name}: fold ${fold + 1}/${FOLDS} done\n`);
  }
  return { name, setup: `${FOLDS}-fold CV, mean`, bayes: bayes / FOLDS, result: meanOf(results) };
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

async function main(): Promise<void> {
  if (!fs.existsSync(DATA)) {
    process.stderr.write(`no data sets at ${DATA}; pass --data <dir> (see bench/README.md)\n`);
    process.exit(2);
  }
  const rows: Row[] = [];
  if (ONLY.has('banking77')) {
    rows.push(await crossEval('BANKING77', read(path.join(DATA, 'banking77/train.jsonl')), ['--locale', 'en']));
  }
  if (ONLY.has('clinc150')) {
    // Dev is halved: one half tunes the temperature and OOS threshold, the other is the test; then
    // the halves swap and the two are averaged (their in-scope accuracies differ by two points).
    // With --refit the tuning half also joins the final model's training data.
    const trainFile = path.join(DATA, 'clinc150/train.jsonl');
    const train = read(trainFile);
    const dev = read(path.join(DATA, 'clinc150/dev.jsonl'));
    const runs = [1, 0].map((half) => {
      const [tune, test] = split(dev, 2, half);
      const dir = fs.mkdtempSync(path.join(TMP, 'clinc-'));
      const files = [
        '--dev',
        write(path.join(dir, 'tune.jsonl'), tune),
        '--test',
        write(path.join(dir, 'test.jsonl'), test),
      ];
      return { test, args: ['--train', trainFile, '--locale', 'en', '--oos-label', 'oos', ...files] };
    });
    const bayes = runs.reduce((sum, run) => sum + bayesAccuracy(train, run.test), 0) / runs.length;
    for (const refit of [false, true]) {
      const results: EvalResult[] = [];
      for (const run of runs)
        results.push(await runNluEval(refit ? [...run.args, '--refit'] : run.args, quiet, silent));
      const setup = refit
        ? 'same, refit on train + tuning half'
        : 'train → half of dev, other half tunes; swapped, mean';
      rows.push({ name: 'CLINC150', setup, bayes, result: meanOf(results) });
    }
  }
  if (ONLY.has('xsid')) {
    rows.push(
      await crossEval('xSID (id)', read(path.join(DATA, 'xsid-id/train.jsonl')), ['--locale', 'id', '--ablation']),
    );
  }
  if (ONLY.has('maju')) {
    const loaded = await loadContent(ROOT);
    if (!loaded.ok) throw new Error('sample content is invalid: run npm run content:check');
    const id = loaded.content.intents.flatMap((i) => i.examples.id.map((text) => ({ text, intent: i.id })));
    rows.push(await crossEval('MAJU JAYA (id only)', id, ['--locale', 'id', '--ablation']));
  }

  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  out(
    '| data | setup | accuracy | macro-F1 | natural Bayes (ratio) | in-scope / OOS recall @ threshold | ECE | train (+ refit) s | p50 / p99 µs | weights MB |',
  );
  out('|---|---|---|---|---|---|---|---|---|---|');
  for (const { name, setup, result: r, bayes } of rows) {
    const oos =
      r.oosRecall === null ? '–' : `${pct(r.inScopeAccuracy)} / ${pct(r.oosRecall)} @ ${r.threshold?.toFixed(3)}`;
    out(
      `| ${name} | ${setup} | ${pct(r.accuracy)} | ${pct(r.macroF1)} | ${pct(bayes)} (×${(r.accuracy / bayes).toFixed(2)}) | ${oos} | ${pct(r.ece.test)} | ${r.trainSeconds.toFixed(2)}${r.refitSeconds === null ? '' : ` + ${r.refitSeconds.toFixed(2)}`} | ${r.latencyMicros.p50.toFixed(0)} / ${r.latencyMicros.p99.toFixed(0)} | ${(r.memory.weightBytes / 1048576).toFixed(1)} |`,
    );
  }
  const ablated = rows.filter((r) => r.result.ablation);
  if (ablated.length) {
    out('');
    out('| Indonesian ablation | full pipeline | no slang lexicon | no stemming | neither |');
    out('|---|---|---|---|---|');
    for (const { name, result } of ablated) {
      const a = result.ablation ?? {};
      out(
        `| ${name} | ${['full pipeline', 'no slang lexicon', 'no stemming', 'neither'].map((k) => pct(a[k] ?? null)).join(' | ')} |`,
      );
    }
  }
  if (ONLY.has('maju')) {
    const loaded = await loadContent(ROOT);
    if (loaded.ok) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push(buildBrain(loaded.content, () => performance.now()).trainMs);
      times.sort((a, b) => a - b);
      out('');
      out(
        `Hot-reload retrain of the sample content (both locales, with calibration): median ${times[2]?.toFixed(0)} ms of 5 (first ${times[0]?.toFixed(0)}–last ${times[4]?.toFixed(0)} ms sorted).`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.rmSync(TMP, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
