import { classificationReport, type ClassificationReport, type Prediction } from './evaluate';
import { stratifiedFolds } from './folds';
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
export interface CrossValidation extends ClassificationReport {
  /**
   * One out-of-fold prediction per example, in the order of the input examples: what the report
   * uses to show *which* sentences go the wrong way and how sure the model was.
   */
  predictions: Prediction[];
}

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
  const folds = stratifiedFolds(
    examples.map((e) => e.intent),
    k,
    seed,
  );
  const predictions: Prediction[] = examples.map((e) => ({ expected: e.intent, predicted: '', confidence: 0 }));
  for (let fold = 0; fold < k; fold++) {
    const model = trainNlu(
      examples.filter((_, i) => folds[i] !== fold),
      { seed, ...options },
    );
    examples.forEach((e, i) => {
      if (folds[i] !== fold) return;
      const top = model.parse(e.text).ranking[0];
      predictions[i] = { expected: e.intent, predicted: top?.intent ?? '', confidence: top?.confidence ?? 0 };
    });
    onFold?.(fold + 1, k);
  }
  return { ...classificationReport(predictions), predictions };
}
