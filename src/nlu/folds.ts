import { seededRng } from '../domain/clock';
import { shuffleInPlace } from './classifier';

/**
 * Assigns every example a fold in [0, k), stratified by label: each label's examples are
 * shuffled with a seeded PRNG and dealt round-robin into the folds, so every fold holds about
 * 1/k of every label (cross-validation and calibration both need that). Same labels, k and
 * seed → same folds.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): number[] {
  const rng = seededRng(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const list = byLabel.get(label) ?? [];
    list.push(i);
    byLabel.set(label, list);
  });
  const folds = new Array<number>(labels.length).fill(0);
  let next = 0; // continue the deal across labels so fold sizes stay balanced
  for (const label of [...byLabel.keys()].sort()) {
    for (const i of shuffleInPlace(byLabel.get(label) ?? [], rng)) {
      folds[i] = next;
      next = (next + 1) % k;
    }
  }
  return folds;
}
