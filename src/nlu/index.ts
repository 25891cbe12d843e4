/**
 * The NLU: normalization (slang lexicon, PII placeholders), locale detection, features,
 * a softmax intent classifier and the safety rules. Pure: no I/O, deterministic for a seed.
 *
 * Entry points: `trainNlu(examples)` gives an `NluModel` whose `parse(text, localeHint?)`
 * returns the full intent ranking (best first, confidences summing to 1) and the rule hits;
 * `trainNluSteps(examples)` is the same training as steps (`steps.ts`), for a caller that must
 * keep serving meanwhile; `crossValidate(examples)` measures how well the intents can be told apart.
 */
export { trainNlu, trainNluSteps, type NluOptions } from './model';
export type { Steps } from './steps';
export { crossValidate, type CrossValidation } from './cross-validate';
export { stratifiedFolds } from './folds';
export { fitTemperature, expectedCalibrationError } from './calibration';
export {
  classificationReport,
  chooseOosThreshold,
  oosReport,
  type ClassificationReport,
  type Confusion,
  type IntentScore,
  type Prediction,
} from './evaluate';
export { normalize, normalizeTokens, analyzeText, type NormalizedText } from './normalize';
export { detectLocale } from './locale';
export { detectRules, checkRules } from './rules';
export type { NluModel, NluResult, RankedIntent, RuleHit, SafetyRule, TrainingExample } from './types';
