import type { Locale } from '../domain/locale';
import { SoftmaxClassifier, type SoftmaxOptions, DEFAULT_SOFTMAX_OPTIONS } from './classifier';
import {
  DEFAULT_FEATURE_OPTIONS,
  extractTerms,
  TfidfVectorizer,
  type FeatureOptions,
  type TermCounts,
} from './features';
import { analyzeText } from './normalize';
import { checkRules } from './rules';
import { stemTokens } from './stem';
import { tokenize } from './tokenize';
import type { NluModel, NluResult, RankedIntent, TrainingExample } from './types';

/**
 * Training and using the NLU: one model for both locales.
 *
 * Every example is normalized with the lexicon of its own (labelled) locale, stemmed with that
 * locale's stemmer, and turned into TF-IDF features; one softmax classifier learns all intents
 * from Indonesian and English examples together. The features carry the language (Indonesian
 * and English words rarely share stems or character n-grams), so a separate model per locale
 * gains nothing and would halve the data behind intents whose examples are mostly Indonesian.
 *
 * At parse time the text is normalized with the hinted locale (or the detected one), classified,
 * and checked by the safety rules. Everything is deterministic for a given seed.
 */
export interface NluOptions {
  /** Seed of the training shuffle (default 1). */
  seed?: number;
  /** Feature extraction overrides (defaults: `DEFAULT_FEATURE_OPTIONS`). */
  features?: Partial<FeatureOptions>;
  /** Classifier overrides (defaults: `DEFAULT_SOFTMAX_OPTIONS`). */
  classifier?: Partial<Omit<SoftmaxOptions, 'seed'>>;
}

/**
 * Only the first this-many characters of a message are analysed: chat messages are short, and
 * the cap bounds the work (stemming unseen words is the slow part) of a pasted wall of text.
 */
export const MAX_ANALYSED_CHARS = 2000;

function termsOf(text: string, locale: Locale | undefined, features: FeatureOptions) {
  const analyzed = analyzeText(text, locale);
  const tokens = tokenize(analyzed.text);
  const terms: TermCounts = extractTerms(tokens, stemTokens(tokens, analyzed.locale), features);
  return { analyzed, terms };
}

/**
 * Trains an NLU model on labelled examples (any mix of locales).
 * With no examples the model has no intents and every ranking is empty; with one intent that
 * intent always has confidence 1.
 */
export function trainNlu(examples: readonly TrainingExample[], options: NluOptions = {}): NluModel {
  const features: FeatureOptions = { ...DEFAULT_FEATURE_OPTIONS, ...options.features };
  const intents = [...new Set(examples.map((e) => e.intent))].sort();
  const classOf = new Map(intents.map((intent, i) => [intent, i]));

  const docs = examples.map((e) => termsOf(e.text, e.locale, features).terms);
  const vectorizer = TfidfVectorizer.fit(docs, features);
  const classifier =
    intents.length > 1
      ? SoftmaxClassifier.train(
          docs.map((d) => vectorizer.transform(d)),
          examples.map((e) => classOf.get(e.intent) ?? 0),
          intents.length,
          vectorizer.size,
          { ...DEFAULT_SOFTMAX_OPTIONS, ...options.classifier, seed: options.seed ?? 1 },
        )
      : undefined;

  function rank(terms: TermCounts): RankedIntent[] {
    if (intents.length === 0) return [];
    if (!classifier) return [{ intent: intents[0] as string, confidence: 1 }];
    const p = classifier.predict(vectorizer.transform(terms));
    return intents
      .map((intent, i) => ({ intent, confidence: p[i] ?? 0 }))
      .sort((a, b) => b.confidence - a.confidence || (a.intent < b.intent ? -1 : 1));
  }

  return {
    intents,
    parse(text: string, localeHint?: Locale): NluResult {
      const head = text.slice(0, MAX_ANALYSED_CHARS);
      const { analyzed, terms } = termsOf(head, localeHint, features);
      return {
        text,
        normalized: analyzed.text,
        locale: analyzed.locale,
        ranking: rank(terms),
        rules: checkRules({ raw: head, surface: analyzed.surface, normalized: analyzed.tokens }),
      };
    },
  };
}
