/**
 * `npm run nlu:cv [-- --root <dir>] [--folds 5]`: k-fold cross-validated accuracy of the bot's own
 * NLU pipeline on the project's content (the same `trainNlu` the bot runs), with the weakest
 * intents and the most confused pairs. Read-only; prints a report, exits 1 if content is invalid.
 */
import path from 'node:path';
import { loadContent } from '../src/content/load';
import { trainingExamples } from '../src/engine/brain';
import { crossValidate } from '../src/nlu';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const root = path.resolve(arg('--root') ?? path.join(__dirname, '..'));
  const k = Number(arg('--folds') ?? 5);
  const loaded = await loadContent(root);
  if (!loaded.ok) {
    process.stderr.write(`content is invalid; run npm run content:check\n`);
    return 1;
  }
  const examples = trainingExamples(loaded.content);
  const started = performance.now();
  const cv = crossValidate(examples, k, 1);
  const seconds = (performance.now() - started) / 1000;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `${k}-fold cross-validation on ${root}`,
    `  examples: ${examples.length} (${loaded.content.intents.length} intents)`,
    `  accuracy: ${pct(cv.accuracy)}   macro-F1: ${pct(cv.macroF1)}   (${seconds.toFixed(1)} s for ${k} trainings)`,
    '  weakest intents (F1):',
    ...Object.entries(cv.perIntent)
      .sort((a, b) => a[1].f1 - b[1].f1)
      .slice(0, 5)
      .map(([intent, s]) => `    ${intent.padEnd(28)} F1 ${pct(s.f1)}  P ${pct(s.precision)}  R ${pct(s.recall)}`),
    '  most confused (expected → predicted):',
    ...cv.confusions.slice(0, 8).map((c) => `    ${c.expected} → ${c.predicted}: ${c.count}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
