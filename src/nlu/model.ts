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
import { runSteps, type Steps } from './steps';
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

/** The normalized text, its tokens and their stems, as the pipeline switches say. */
function tokensOf(text: string, locale: Locale | undefined, { pipeline }: Setup) {
  const analyzed = analyzeText(text, locale);
  const tokens = pipeline.lexicon ? tokenize(analyzed.text) : analyzed.surface;
  const stems = pipeline.stemming ? stemTokens(tokens, analyzed.locale) : tokens;
  return { analyzed, tokens, stems };
}

/** The term counts of `text`: what training fits the vocabulary on. */
function termsOf(text: string, locale: Locale | undefined, setup: Setup): TermCounts {
  const { tokens, stems } = tokensOf(text, locale, setup);
  return extractTerms(tokens, stems, setup.features);
}

/** A vectorizer and classifier fitted on some documents: the uncalibrated core of a model. */
interface Fitted {
  vectorizer: TfidfVectorizer;
  /** Absent when there are fewer than two intents (nothing to learn). */
  classifier: SoftmaxClassifier | undefined;
}

function* fit(
  docs: readonly TermCounts[],
  labels: readonly number[],
  numClasses: number,
  seed: number,
  options: NluOptions,
  { features }: Setup,
): Steps<Fitted> {
  const vectorizer = TfidfVectorizer.fit(docs, features, labels);
  yield;
  const vectors = docs.map((d) => vectorizer.transform(d));
  yield;
  const classifier =
    numClasses > 1
      ? yield* SoftmaxClassifier.trainSteps(vectors, labels, numClasses, vectorizer.size, {
          ...DEFAULT_SOFTMAX_OPTIONS,
          ...options.classifier,
          seed,
        })
      : undefined;
  return { vectorizer, classifier };
}

/**
 * The temperature that calibrates models trained on `docs`: fitted on the out-of-fold scores of
 * a stratified k-fold cross-validation (each fold scored by a model trained on the others).
 */
function* calibrate(
  docs: readonly TermCounts[],
  labels: readonly number[],
  numClasses: number,
  k: number,
  seed: number,
  options: NluOptions,
  setup: Setup,
): Steps<number> {
  const folds = stratifiedFolds(labels.map(String), k, seed);
  const held: ScoredExample[] = [];
  for (let fold = 0; fold < k; fold++) {
    options.onProgress?.({ stage: 'calibration', step: fold, total: k });
    const inFold = (i: number) => folds[i] === fold;
    const { vectorizer, classifier } = yield* fit(
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
    yield;
  }
  return fitTemperature(held);
}

/**
 * Trains an NLU model on labelled examples (any mix of locales).
 * With no examples the model has no intents and every ranking is empty; with one intent that
 * intent always has confidence 1.
 */
export function trainNlu(examples: readonly TrainingExample[], options: NluOptions = {}): NluModel {
  return runSteps(trainNluSteps(examples, options));
}

/** Examples whose features are computed in one step of `trainNluSteps`. */
const FEATURE_CHUNK = 200;

/**
 * `trainNlu` as steps (`steps.ts`), each a few tens of milliseconds on the sample content: a
 * chunk of examples' features, the vocabulary of one fit, one training epoch. Same model.
 */
export function* trainNluSteps(examples: readonly TrainingExample[], options: NluOptions = {}): Steps<NluModel> {
  const setup: Setup = {
    features: { ...DEFAULT_FEATURE_OPTIONS, ...options.features },
    pipeline: { lexicon: true, stemming: true, ...options.pipeline },
  };
  const seed = options.seed ?? 1;
  const intents = [...new Set(examples.map((e) => e.intent))].sort();
  const classOf = new Map(intents.map((intent, i) => [intent, i]));
  const labels = examples.map((e) => classOf.get(e.intent) ?? 0);

  // Normalizing and stemming is the slow part; it is done once and shared by every fit below.
  const docs: TermCounts[] = [];
  for (const [i, e] of examples.entries()) {
    if (i % 1000 === 0) options.onProgress?.({ stage: 'features', step: i, total: examples.length });
    docs.push(termsOf(e.text, e.locale, setup));
    if ((i + 1) % FEATURE_CHUNK === 0) yield;
  }
  const folds = options.calibrationFolds ?? DEFAULT_CALIBRATION_FOLDS;
  const canCalibrate = folds > 1 && intents.length > 1 && examples.length >= folds * 2;
  const temperature =
    options.temperature ??
    (canCalibrate ? yield* calibrate(docs, labels, intents.length, folds, seed, options, setup) : 1);
  yield;
  options.onProgress?.({ stage: 'training', step: 0, total: 1 });
  return makeModel(intents, yield* fit(docs, labels, intents.length, seed, options, setup), temperature, setup);
}

/** Best first, ties by intent name: the order of `NluResult.ranking`. */
const byConfidence = (a: RankedIntent, b: RankedIntent): number =>
  b.confidence - a.confidence || (a.intent < b.intent ? -1 : 1);

/** Rankings up to this long are insertion-sorted (see `rankIntents`); longer ones use `sort`. */
const INSERTION_SORT_MAX = 64;

/**
 * The ranking of softmax probabilities `p` (aligned with `intents`): every intent, best first.
 *
 * Every intent stays in the ranking, not just a top-k: callers filter it by intent (re-reading
 * a clarification answer keeps only the offered intents), so a shorter list would change what
 * they see. What changes is the sort. With a few dozen intents, `Array.prototype.sort` spends
 * most of its time calling the comparator; an insertion sort with the comparison written out
 * takes a third of the time. Both give the same array: for finite confidences `byConfidence` is
 * a strict total order (intent names are distinct), and a total order has exactly one sorted
 * arrangement whatever the algorithm. A NaN (only from a degenerate temperature) breaks that
 * order, so then, and for long rankings, it is the original `sort` call.
 */
function rankIntents(intents: readonly string[], p: Float64Array): RankedIntent[] {
  const ranking = new Array<RankedIntent>(intents.length);
  let finite = true;
  for (let i = 0; i < ranking.length; i++) {
    const confidence = p[i] ?? 0;
    if (Number.isNaN(confidence)) finite = false;
    ranking[i] = { intent: intents[i] as string, confidence };
  }
  if (!finite || ranking.length > INSERTION_SORT_MAX) return ranking.sort(byConfidence);
  for (let i = 1; i < ranking.length; i++) {
    const x = ranking[i] as RankedIntent;
    let j = i;
    for (; j > 0; j--) {
      const y = ranking[j - 1] as RankedIntent;
      // x goes before y exactly when byConfidence(x, y) < 0.
      if (!(x.confidence > y.confidence || (x.confidence === y.confidence && x.intent < y.intent))) break;
      ranking[j] = y;
    }
    ranking[j] = x;
  }
  return ranking;
}

function makeModel(intents: readonly string[], fitted: Fitted, temperature: number, setup: Setup): NluModel {
  const { vectorizer, classifier } = fitted;

  /**
   * Parsing vectorizes straight from tokens and stems (`TfidfVectorizer.vectorize`): the term
   * strings of `extractTerms` are only needed to fit a vocabulary, and here each would be
   * garbage right after its lookup.
   */
  function scoresOf(tokens: readonly string[], stems: readonly string[]): Float64Array {
    if (!classifier) return new Float64Array(intents.length);
    return classifier.scores(vectorizer.vectorize(tokens, stems));
  }

  /**
   * The probabilities of the message being ranked: one buffer per model, reused, because only
   * `rank` reads it and only until it returns (a fresh Float64Array of this size is allocated
   * outside the JS heap, a microsecond per message for nothing).
   */
  const probabilities = new Float64Array(intents.length);

  function rank(tokens: readonly string[], stems: readonly string[]): RankedIntent[] {
    if (intents.length === 0) return [];
    if (!classifier) return [{ intent: intents[0] as string, confidence: 1 }];
    const p = classifier.scoresInto(vectorizer.vectorize(tokens, stems), probabilities);
    softmaxInPlace(p, temperature);
    return rankIntents(intents, p);
  }

  function analyse(text: string, localeHint?: Locale) {
    const head = text.slice(0, MAX_ANALYSED_CHARS);
    return { head, ...tokensOf(head, localeHint, setup) };
  }

  return {
    intents,
    temperature,
    stats: { features: vectorizer.size, weightBytes: classifier?.bytes ?? 0 },
    parse(text: string, localeHint?: Locale): NluResult {
      const { head, analyzed, tokens, stems } = analyse(text, localeHint);
      return {
        text,
        normalized: analyzed.text,
        locale: analyzed.locale,
        ranking: rank(tokens, stems),
        rules: checkRules({ raw: head, surface: analyzed.surface, normalized: analyzed.tokens }),
      };
    },
    scores(text: string, localeHint?: Locale): Float64Array {
      const { tokens, stems } = analyse(text, localeHint);
      return scoresOf(tokens, stems);
    },
    withTemperature(t: number): NluModel {
      return makeModel(intents, fitted, t, setup);
    },
  };
}
