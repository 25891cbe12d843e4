/**
 * Scoring an intent classifier on labelled data: the figures of `npm run nlu:eval` and of the
 * content check. Pure functions over predictions, so the same maths serves a held-out test file,
 * a dev file and cross-validation.
 *
 * Out-of-scope (OOS) detection: a data set may label some examples with an "out of scope" label
 * (CLINC150's `oos`). A message is predicted out of scope when the classifier's top intent is the
 * OOS label itself or when its top confidence is below a threshold. Following Larson et al. 2019,
 * in-scope accuracy counts an in-scope message rejected as OOS as wrong, OOS recall is the share
 * of OOS messages rejected, and OOS precision the share of rejections that were OOS.
 */

/** What the classifier said about one labelled example. */
export interface Prediction {
  /** The labelled intent. */
  expected: string;
  /** The top-ranked intent. */
  predicted: string;
  /** Its confidence in [0, 1]. */
  confidence: number;
}

export interface IntentScore {
  precision: number;
  recall: number;
  f1: number;
  /** Number of examples labelled with this intent. */
  support: number;
}

export interface Confusion {
  expected: string;
  predicted: string;
  count: number;
}

export interface ClassificationReport {
  /** Share of examples whose top intent is the labelled one. */
  accuracy: number;
  /** Unweighted mean of the per-intent F1 scores over the labelled intents. */
  macroF1: number;
  perIntent: Record<string, IntentScore>;
  /** Misclassifications, most frequent first. */
  confusions: Confusion[];
}

export const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Accuracy, macro-F1, per-intent scores and confusions of `predictions`. */
export function classificationReport(predictions: readonly Prediction[]): ClassificationReport {
  const tp = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const support = new Map<string, number>();
  const confusion = new Map<string, Confusion>();
  const inc = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  let correct = 0;
  for (const { expected, predicted } of predictions) {
    inc(support, expected);
    inc(predictedCount, predicted);
    if (predicted === expected) {
      correct++;
      inc(tp, predicted);
      continue;
    }
    const key = `${expected}\u0000${predicted}`;
    const c = confusion.get(key) ?? { expected, predicted, count: 0 };
    c.count++;
    confusion.set(key, c);
  }
  const intents = [...support.keys()].sort();
  const perIntent: Record<string, IntentScore> = {};
  let f1Sum = 0;
  for (const intent of intents) {
    const hits = tp.get(intent) ?? 0;
    const precision = ratio(hits, predictedCount.get(intent) ?? 0);
    const recall = ratio(hits, support.get(intent) ?? 0);
    const f1 = ratio(2 * precision * recall, precision + recall);
    perIntent[intent] = { precision, recall, f1, support: support.get(intent) ?? 0 };
    f1Sum += f1;
  }
  const confusions = [...confusion.values()].sort(
    (a, b) => b.count - a.count || a.expected.localeCompare(b.expected) || a.predicted.localeCompare(b.predicted),
  );
  return { accuracy: ratio(correct, predictions.length), macroF1: ratio(f1Sum, intents.length), perIntent, confusions };
}

/** Out-of-scope detection figures at one threshold. */
export interface OosReport {
  threshold: number;
  /** In-scope examples classified as their intent (and not rejected), over all in-scope ones. */
  inScopeAccuracy: number;
  /** OOS examples rejected, over all OOS examples. */
  oosRecall: number;
  /** OOS examples rejected, over all rejections (1 when nothing was rejected). */
  oosPrecision: number;
}

/** `prediction` as decided with the OOS rule: below `threshold`, the answer is `oosLabel`. */
export function withRejection(prediction: Prediction, threshold: number, oosLabel: string): Prediction {
  return prediction.confidence < threshold ? { ...prediction, predicted: oosLabel } : prediction;
}

/** In-scope accuracy and OOS recall/precision of `predictions` at `threshold`. */
export function oosReport(predictions: readonly Prediction[], threshold: number, oosLabel: string): OosReport {
  let inScope = 0;
  let inScopeRight = 0;
  let oos = 0;
  let rejected = 0;
  let rejectedOos = 0;
  for (const p of predictions) {
    const { expected, predicted } = withRejection(p, threshold, oosLabel);
    const isOos = expected === oosLabel;
    if (isOos) oos++;
    else inScope++;
    if (predicted === oosLabel) {
      rejected++;
      if (isOos) rejectedOos++;
    } else if (predicted === expected) inScopeRight++;
  }
  return {
    threshold,
    inScopeAccuracy: ratio(inScopeRight, inScope),
    oosRecall: ratio(rejectedOos, oos),
    oosPrecision: rejected === 0 ? 1 : rejectedOos / rejected,
  };
}

/** How much dev in-scope accuracy the OOS threshold may cost by default: one point. */
export const DEFAULT_MAX_IN_SCOPE_LOSS = 0.01;

/**
 * The rejection threshold for out-of-scope detection, chosen on dev predictions: the one that
 * rejects the most OOS messages while costing at most `maxInScopeLoss` of in-scope accuracy
 * (compared with no threshold). A budget on the cost to real questions is easier to reason
 * about than a weighted sum, and does not depend on the share of OOS messages in dev. Candidates
 * are the dev confidences themselves; among equal recalls the lowest threshold wins (it rejects
 * the least). With no OOS example in `dev` the threshold is 0: nothing to learn it from.
 */
export function chooseOosThreshold(
  dev: readonly Prediction[],
  oosLabel: string,
  maxInScopeLoss = DEFAULT_MAX_IN_SCOPE_LOSS,
): OosReport {
  let best = oosReport(dev, 0, oosLabel);
  if (!dev.some((p) => p.expected === oosLabel)) return best;
  const floor = best.inScopeAccuracy - maxInScopeLoss - 1e-12;
  const candidates = [...new Set(dev.map((p) => p.confidence))].sort((a, b) => a - b);
  for (const t of candidates) {
    // A threshold just above a confidence rejects that prediction too.
    const r = oosReport(dev, t + 1e-9, oosLabel);
    if (r.inScopeAccuracy < floor) break; // in-scope accuracy only falls as the threshold rises
    if (r.oosRecall > best.oosRecall) best = r;
  }
  return best;
}

/** The `q`-quantile (0–1) of `values` by the nearest-rank method; 0 for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
