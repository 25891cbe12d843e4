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
  readonly intents: readonly string[];
  parse(text: string, localeHint?: Locale): NluResult;
}
