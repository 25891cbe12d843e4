/**
 * Confidence calibration: making "confidence 0.8" mean "right about 80% of the time".
 *
 * A softmax classifier trained to zero training error is over-confident: on its own training
 * examples it is almost always sure, so raw confidences say little about new messages, and a
 * threshold tuned today means something else after content staff add fifty examples. Temperature
 * scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks") fixes this with one
 * number: the logits are divided by a temperature T before the softmax, and T is chosen to
 * minimize the negative log-likelihood of examples the model did NOT train on (a dev set, or
 * out-of-fold predictions of a cross-validation). T never changes which intent ranks first, so
 * accuracy is untouched; only the confidences move.
 *
 * Calibration is measured by the expected calibration error (ECE): examples are put in equal-
 * width confidence bins, and ECE is the example-weighted mean gap |accuracy − mean confidence|
 * over the bins. 0 is perfect; 0.05 means confidences are off by five points on average.
 */

/** Raw scores (logits) of one held-out example, and the index of its true class. */
export interface ScoredExample {
  logits: Float64Array;
  label: number;
}

/** Search range of the temperature (log-spaced): wide enough for any sane model. */
const MIN_T = 0.05;
const MAX_T = 20;

/** Mean negative log-likelihood of the true classes at temperature `t`. */
export function meanNll(examples: readonly ScoredExample[], t: number): number {
  if (examples.length === 0) return 0;
  let sum = 0;
  for (const { logits, label } of examples) {
    // −log softmax(z/t)[label] = logsumexp(z/t) − z[label]/t, with the max subtracted for stability.
    let max = -Infinity;
    for (const z of logits) if (z > max) max = z;
    let total = 0;
    for (const z of logits) total += Math.exp((z - max) / t);
    sum += Math.log(total) - ((logits[label] ?? max) - max) / t;
  }
  return sum / examples.length;
}

/**
 * The temperature minimizing the mean NLL of `examples`, by golden-section search over log T
 * (the NLL is unimodal in T for a fixed set of logits). Returns 1 when there is nothing to fit.
 */
export function fitTemperature(examples: readonly ScoredExample[]): number {
  if (examples.length === 0) return 1;
  const phi = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(MIN_T);
  let hi = Math.log(MAX_T);
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = meanNll(examples, Math.exp(a));
  let fb = meanNll(examples, Math.exp(b));
  for (let i = 0; i < 40; i++) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = meanNll(examples, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = meanNll(examples, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** One prediction's top confidence and whether it was right. */
export interface ConfidenceOutcome {
  confidence: number;
  correct: boolean;
}

/** One equal-width confidence bin. */
export interface ConfidenceBin {
  /** Lower edge (inclusive; the last bin also includes 1). */
  from: number;
  to: number;
  count: number;
  correct: number;
  /** Mean confidence of the bin's predictions (0 when empty). */
  meanConfidence: number;
}

/** Splits outcomes into `bins` equal-width confidence bins over [0, 1]. */
export function confidenceBins(outcomes: readonly ConfidenceOutcome[], bins = 10): ConfidenceBin[] {
  const out: ConfidenceBin[] = Array.from({ length: bins }, (_, i) => ({
    from: i / bins,
    to: (i + 1) / bins,
    count: 0,
    correct: 0,
    meanConfidence: 0,
  }));
  for (const { confidence, correct } of outcomes) {
    const bin = out[Math.min(bins - 1, Math.max(0, Math.floor(confidence * bins)))] as ConfidenceBin;
    bin.count++;
    if (correct) bin.correct++;
    bin.meanConfidence += confidence;
  }
  for (const bin of out) if (bin.count > 0) bin.meanConfidence /= bin.count;
  return out;
}

/** Expected calibration error over `bins` equal-width bins (0 for no outcomes). */
export function expectedCalibrationError(outcomes: readonly ConfidenceOutcome[], bins = 10): number {
  if (outcomes.length === 0) return 0;
  let sum = 0;
  for (const bin of confidenceBins(outcomes, bins)) {
    if (bin.count > 0) sum += bin.count * Math.abs(bin.correct / bin.count - bin.meanConfidence);
  }
  return sum / outcomes.length;
}
