import type { Locale } from '../domain/locale';

/** One labelled sentence the classifier learns from (taken from intent files). */
export interface TrainingExample {
  text: string;
  intent: string;
  locale: Locale;
}

export interface RankedIntent {
  intent: string;
  /** In [0, 1]; the confidences of one ranking sum to 1. */
  confidence: number;
}

/** Safety rules that run beside the classifier; a hit skips clarification. */
export type SafetyRule = 'emergency' | 'complaint_tone' | 'human_request';
export interface RuleHit {
  rule: SafetyRule;
  /** The lexicon entry that matched (normalized form), for the console ("matched: putus total"). */
  term: string;
}

export interface NluResult {
  /** The customer's text as received. */
  text: string;
  /** After normalization (lower case, slang expanded, stretched letters folded…). */
  normalized: string;
  /** Detected locale (or the hint when one was given). */
  locale: Locale;
  /** All intents, best first, confidences summing to 1. Empty only if no intents exist. */
  ranking: RankedIntent[];
  rules: RuleHit[];
}

export interface NluModel {
  /** Every intent, sorted; `scores` is aligned with it. */
  readonly intents: readonly string[];
  /** The softmax temperature that calibrates the confidences (1: uncalibrated). */
  readonly temperature: number;
  /** Size of the trained model: vocabulary and bytes of classifier weights. */
  readonly stats: { features: number; weightBytes: number };
  /** Normalizes, classifies and checks the safety rules: what the bot does with a message. */
  parse(text: string, localeHint?: Locale): NluResult;
  /** The raw class scores (logits) of `text`, aligned with `intents`: input of calibration. */
  scores(text: string, localeHint?: Locale): Float64Array;
  /** The same model with another temperature (weights shared, nothing retrained). */
  withTemperature(temperature: number): NluModel;
}
