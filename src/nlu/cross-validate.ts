import { seededRng } from '../domain/clock';
import { shuffleInPlace } from './classifier';
import { trainNlu, type NluOptions } from './model';
import type { TrainingExample } from './types';

/**
 * k-fold cross-validation of the whole NLU pipeline, to measure how well the intents can be told
 * apart from their examples (content staff run it after editing intents; we tune with it).
 *
 * Folds are *stratified*: each intent's examples are shuffled with a seeded PRNG and dealt
 * round-robin into the k folds, so every fold holds about 1/k of every intent. Each fold is
 * classified by a model trained on the other k − 1 folds, with the locale detected from the text
 * (no hint), as for a first message. Same examples + k + seed → same numbers.
 */
export interface IntentScore {
  precision: number;
  recall: number;
  f1: number;
  /** Number of examples of this intent. */
  support: number;
}

export interface Confusion {
  expected: string;
  predicted: string;
  count: number;
}

/** How one example was classified by the model that did not see it (its fold held out). */
export interface OutOfFoldPrediction {
  /** The labelled intent. */
  intent: string;
  /** The top-ranked intent ('' only if the model knows no intents). */
  predicted: string;
  /** The top intent's confidence, in [0, 1]. */
  confidence: number;
}

export interface CrossValidation {
  /** Share of examples whose top-ranked intent is the labelled one. */
  accuracy: number;
  /** Unweighted mean of the per-intent F1 scores. */
  macroF1: number;
  perIntent: Record<string, IntentScore>;
  /** Misclassifications, most frequent first. */
  confusions: Confusion[];
  /**
   * One out-of-fold prediction per example, in the order of the input examples: what the report
   * uses to show *which* sentences go the wrong way and how sure the model was.
   */
  predictions: OutOfFoldPrediction[];
}

/** Assigns every example a fold in [0, k), stratified by intent. */
export function stratifiedFolds(examples: readonly TrainingExample[], k: number, seed: number): number[] {
  const rng = seededRng(seed);
  const byIntent = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const list = byIntent.get(e.intent) ?? [];
    list.push(i);
    byIntent.set(e.intent, list);
  });
  const folds = new Array<number>(examples.length).fill(0);
  let next = 0; // continue the deal across intents so fold sizes stay balanced
  for (const intent of [...byIntent.keys()].sort()) {
    for (const i of shuffleInPlace(byIntent.get(intent) ?? [], rng)) {
      folds[i] = next;
      next = (next + 1) % k;
    }
  }
  return folds;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * Runs stratified k-fold cross-validation (default 5 folds, seed 1). `onFold(done, k)` is called
 * after each fold, for a progress line. Throws a RangeError if k < 2 or there are fewer examples
 * than folds.
 */
export function crossValidate(
  examples: readonly TrainingExample[],
  k = 5,
  seed = 1,
  options: NluOptions = {},
  onFold?: (done: number, k: number) => void,
): CrossValidation {
  if (!Number.isInteger(k) || k < 2) throw new RangeError('k must be an integer ≥ 2');
  if (examples.length < k) throw new RangeError('fewer examples than folds');
  const folds = stratifiedFolds(examples, k, seed);
  const predicted = new Array<string>(examples.length).fill('');
  const confidence = new Array<number>(examples.length).fill(0);
  for (let fold = 0; fold < k; fold++) {
    const model = trainNlu(
      examples.filter((_, i) => folds[i] !== fold),
      { seed, ...options },
    );
    examples.forEach((e, i) => {
      if (folds[i] !== fold) return;
      const top = model.parse(e.text).ranking[0];
      predicted[i] = top?.intent ?? '';
      confidence[i] = top?.confidence ?? 0;
    });
    onFold?.(fold + 1, k);
  }

  const intents = [...new Set(examples.map((e) => e.intent))].sort();
  const tp = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const support = new Map<string, number>();
  const confusion = new Map<string, Confusion>();
  let correct = 0;
  examples.forEach((e, i) => {
    const p = predicted[i] ?? '';
    support.set(e.intent, (support.get(e.intent) ?? 0) + 1);
    predictedCount.set(p, (predictedCount.get(p) ?? 0) + 1);
    if (p === e.intent) {
      correct++;
      tp.set(p, (tp.get(p) ?? 0) + 1);
      return;
    }
    const key = `${e.intent}\u0000${p}`;
    const c = confusion.get(key) ?? { expected: e.intent, predicted: p, count: 0 };
    c.count++;
    confusion.set(key, c);
  });

  const perIntent: Record<string, IntentScore> = {};
  for (const intent of intents) {
    const hits = tp.get(intent) ?? 0;
    const precision = ratio(hits, predictedCount.get(intent) ?? 0);
    const recall = ratio(hits, support.get(intent) ?? 0);
    const f1 = ratio(2 * precision * recall, precision + recall);
    perIntent[intent] = { precision, recall, f1, support: support.get(intent) ?? 0 };
  }
  const macroF1 = ratio(
    intents.reduce((sum, intent) => sum + (perIntent[intent]?.f1 ?? 0), 0),
    intents.length,
  );
  const confusions = [...confusion.values()].sort(
    (a, b) => b.count - a.count || a.expected.localeCompare(b.expected) || a.predicted.localeCompare(b.predicted),
  );
  const predictions = examples.map((e, i) => ({
    intent: e.intent,
    predicted: predicted[i] ?? '',
    confidence: confidence[i] ?? 0,
  }));
  return { accuracy: ratio(correct, examples.length), macroF1, perIntent, confusions, predictions };
}
