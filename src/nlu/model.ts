import type { Locale } from '../domain/locale';
import { fitTemperature, type ScoredExample } from './calibration';
import { SoftmaxClassifier, softmaxInPlace, type SoftmaxOptions, DEFAULT_SOFTMAX_OPTIONS } from './classifier';
import { stratifiedFolds } from './folds';
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
  /** Seed of the training shuffle and of the calibration folds (default 1). */
  seed?: number;
  /** Feature extraction overrides (defaults: `DEFAULT_FEATURE_OPTIONS`). */
  features?: Partial<FeatureOptions>;
  /** Classifier overrides (defaults: `DEFAULT_SOFTMAX_OPTIONS`). */
  classifier?: Partial<Omit<SoftmaxOptions, 'seed'>>;
  /**
   * A fixed softmax temperature (see `calibration.ts`). When absent, the temperature is fitted
   * on out-of-fold predictions of a `calibrationFolds`-fold cross-validation of the training set.
   */
  temperature?: number;
  /** Folds of the calibration cross-validation (default 2); 0 or 1 skips calibration (T = 1). */
  calibrationFolds?: number;
  /**
   * Pipeline switches, for measuring what each step is worth (`nlu:eval --ablation`); the bot
   * always runs with both on (the default).
   */
  pipeline?: Partial<PipelineOptions>;
  /** Called as training advances, for progress lines on large data sets. */
  onProgress?: (progress: TrainingProgress) => void;
}

/** Where training is: `step` of `total` in `stage`. */
export interface TrainingProgress {
  stage: 'features' | 'calibration' | 'training';
  step: number;
  total: number;
}

export interface PipelineOptions {
  /** Expand chat slang with the locale's lexicon ("gmn" → "bagaimana"). */
  lexicon: boolean;
  /** Stem words (Sastrawi for Indonesian, Porter for English). */
  stemming: boolean;
}

/**
 * Default folds of the calibration cross-validation. Two folds fit about the same temperature as
 * three or five on the sample content (0.47 vs 0.46 / 0.48) and keep a hot-reload retrain of it
 * under a second: training costs one full fit plus one per fold on (k − 1)/k of the data.
 */
export const DEFAULT_CALIBRATION_FOLDS = 2;

/**
 * Only the first this-many characters of a message are analysed: chat messages are short, and
 * the cap bounds the work (stemming unseen words is the slow part) of a pasted wall of text.
 */
export const MAX_ANALYSED_CHARS = 2000;

/** Everything a model needs to turn a text into features, fixed at training time. */
interface Setup {
  features: FeatureOptions;
  pipeline: PipelineOptions;
}

function termsOf(text: string, locale: Locale | undefined, { features, pipeline }: Setup) {
  const analyzed = analyzeText(text, locale);
  const tokens = pipeline.lexicon ? tokenize(analyzed.text) : analyzed.surface;
  const stems = pipeline.stemming ? stemTokens(tokens, analyzed.locale) : tokens;
  const terms: TermCounts = extractTerms(tokens, stems, features);
  return { analyzed, terms };
}

/** A vectorizer and classifier fitted on some documents: the uncalibrated core of a model. */
interface Fitted {
  vectorizer: TfidfVectorizer;
  /** Absent when there are fewer than two intents (nothing to learn). */
  classifier: SoftmaxClassifier | undefined;
}

function fit(
  docs: readonly TermCounts[],
  labels: readonly number[],
  numClasses: number,
  seed: number,
  options: NluOptions,
  { features }: Setup,
): Fitted {
  const vectorizer = TfidfVectorizer.fit(docs, features);
  const classifier =
    numClasses > 1
      ? SoftmaxClassifier.train(
          docs.map((d) => vectorizer.transform(d)),
          labels,
          numClasses,
          vectorizer.size,
          { ...DEFAULT_SOFTMAX_OPTIONS, ...options.classifier, seed },
        )
      : undefined;
  return { vectorizer, classifier };
}

/**
 * The temperature that calibrates models trained on `docs`: fitted on the out-of-fold scores of
 * a stratified k-fold cross-validation (each fold scored by a model trained on the others).
 */
function calibrate(
  docs: readonly TermCounts[],
  labels: readonly number[],
  numClasses: number,
  k: number,
  seed: number,
  options: NluOptions,
  setup: Setup,
): number {
  const folds = stratifiedFolds(labels.map(String), k, seed);
  const held: ScoredExample[] = [];
  for (let fold = 0; fold < k; fold++) {
    options.onProgress?.({ stage: 'calibration', step: fold, total: k });
    const inFold = (i: number) => folds[i] === fold;
    const { vectorizer, classifier } = fit(
      docs.filter((_, i) => !inFold(i)),
      labels.filter((_, i) => !inFold(i)),
      numClasses,
      seed,
      options,
      setup,
    );
    docs.forEach((doc, i) => {
      if (inFold(i) && classifier)
        held.push({ logits: classifier.scores(vectorizer.transform(doc)), label: labels[i] ?? 0 });
    });
  }
  return fitTemperature(held);
}

/**
 * Trains an NLU model on labelled examples (any mix of locales).
 * With no examples the model has no intents and every ranking is empty; with one intent that
 * intent always has confidence 1.
 */
export function trainNlu(examples: readonly TrainingExample[], options: NluOptions = {}): NluModel {
  const setup: Setup = {
    features: { ...DEFAULT_FEATURE_OPTIONS, ...options.features },
    pipeline: { lexicon: true, stemming: true, ...options.pipeline },
  };
  const seed = options.seed ?? 1;
  const intents = [...new Set(examples.map((e) => e.intent))].sort();
  const classOf = new Map(intents.map((intent, i) => [intent, i]));
  const labels = examples.map((e) => classOf.get(e.intent) ?? 0);

  // Normalizing and stemming is the slow part; it is done once and shared by every fit below.
  const docs = examples.map((e, i) => {
    if (i % 1000 === 0) options.onProgress?.({ stage: 'features', step: i, total: examples.length });
    return termsOf(e.text, e.locale, setup).terms;
  });
  const folds = options.calibrationFolds ?? DEFAULT_CALIBRATION_FOLDS;
  const canCalibrate = folds > 1 && intents.length > 1 && examples.length >= folds * 2;
  const temperature =
    options.temperature ?? (canCalibrate ? calibrate(docs, labels, intents.length, folds, seed, options, setup) : 1);
  options.onProgress?.({ stage: 'training', step: 0, total: 1 });
  return makeModel(intents, fit(docs, labels, intents.length, seed, options, setup), temperature, setup);
}

function makeModel(intents: readonly string[], fitted: Fitted, temperature: number, setup: Setup): NluModel {
  const { vectorizer, classifier } = fitted;

  function scoresOf(terms: TermCounts): Float64Array {
    if (!classifier) return new Float64Array(intents.length);
    return classifier.scores(vectorizer.transform(terms));
  }

  function rank(terms: TermCounts): RankedIntent[] {
    if (intents.length === 0) return [];
    if (!classifier) return [{ intent: intents[0] as string, confidence: 1 }];
    const p = scoresOf(terms);
    softmaxInPlace(p, temperature);
    return intents
      .map((intent, i) => ({ intent, confidence: p[i] ?? 0 }))
      .sort((a, b) => b.confidence - a.confidence || (a.intent < b.intent ? -1 : 1));
  }

  function analyse(text: string, localeHint?: Locale) {
    const head = text.slice(0, MAX_ANALYSED_CHARS);
    return { head, ...termsOf(head, localeHint, setup) };
  }

  return {
    intents,
    temperature,
    stats: { features: vectorizer.size, weightBytes: classifier?.bytes ?? 0 },
    parse(text: string, localeHint?: Locale): NluResult {
      const { head, analyzed, terms } = analyse(text, localeHint);
      return {
        text,
        normalized: analyzed.text,
        locale: analyzed.locale,
        ranking: rank(terms),
        rules: checkRules({ raw: head, surface: analyzed.surface, normalized: analyzed.tokens }),
      };
    },
    scores(text: string, localeHint?: Locale): Float64Array {
      return scoresOf(analyse(text, localeHint).terms);
    },
    withTemperature(t: number): NluModel {
      return makeModel(intents, fitted, t, setup);
    },
  };
}
