import { conceptsOf } from './concepts';

/**
 * Sparse features for the intent classifier.
 *
 * A message becomes a bag of *terms* from three families, each prefixed so they never collide:
 * - `w:` stemmed word unigrams ("w:tagih", "w:bayar"), the core signal;
 * - `b:` stemmed word bigrams ("b:tidak bisa", "b:putus total"), for meaning carried by pairs;
 * - `k:` domain concepts (`concepts.ts`): one feature per bilingual synonym group mentioned
 *   ("tagihan", "bill", "charged" → "k:bill"), so the two languages share evidence;
 * - `c:` character n-grams of the normalized words with boundary markers ("<ta", "agi",
 *   "an>"), which survive typos and spelling variants the lexicon does not know: "tagihn" and
 *   "tagihan" still share "<ta", "tag", "agi", "gih".
 *
 * Terms are weighted by TF-IDF with sublinear term frequency (1 + ln tf, so a repeated word does
 * not dominate) and smoothed IDF (ln((1 + N) / (1 + df)) + 1, so words in every example count
 * little), multiplied by a per-family weight, and the vector is L2-normalized (so long and short
 * messages are comparable). The vocabulary is the set of terms seen in training; unseen terms
 * at prediction time are ignored.
 */

/** A sparse vector: parallel arrays of feature indices (ascending) and values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

export interface FeatureOptions {
  /** Smallest and largest character n-gram length (inclusive); [0, 0] disables them. */
  charNgrams: readonly [number, number];
  /** Whether to add stemmed word bigrams. */
  wordBigrams: boolean;
  /** Multipliers of each term family before L2 normalization. */
  weights: { word: number; bigram: number; char: number; concept: number };
  /** Terms found in fewer training examples than this are left out of the vocabulary. */
  minDf: number;
}

/**
 * Defaults tuned by cross-validation on the MAJU JAYA intents and on the train/dev splits of
 * BANKING77, CLINC150 and xSID (`bench/README.md`): concepts weigh most (they carry evidence
 * across languages and synonyms), character n-grams least (there are many of them per message;
 * at full weight they drown the words). 2–4-grams beat trigrams alone by about half a point on
 * every data set; bigrams at full weight helped the English sets and cost nothing elsewhere.
 */
export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  charNgrams: [2, 4],
  wordBigrams: true,
  weights: { word: 1, bigram: 1, char: 0.3, concept: 3 },
  minDf: 1,
};

/** Term → count for one message. */
export type TermCounts = Map<string, number>;

function add(counts: TermCounts, term: string): void {
  counts.set(term, (counts.get(term) ?? 0) + 1);
}

/**
 * The terms of one message, from its normalized tokens and their stems (same length, same
 * order). Placeholders (`_phone_`) give a word term but no character n-grams.
 */
export function extractTerms(
  tokens: readonly string[],
  stems: readonly string[],
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): TermCounts {
  const counts: TermCounts = new Map();
  stems.forEach((s, i) => {
    add(counts, `w:${s}`);
    if (options.wordBigrams && i > 0) add(counts, `b:${stems[i - 1]} ${s}`);
  });
  if (options.weights.concept > 0) for (const c of conceptsOf(tokens, stems)) add(counts, `k:${c}`);
  const [minN, maxN] = options.charNgrams;
  if (minN > 0) {
    for (const token of tokens) {
      if (token.startsWith('_')) continue;
      const marked = `<${token}>`;
      for (let n = minN; n <= maxN; n++) {
        for (let i = 0; i + n <= marked.length; i++) add(counts, `c:${marked.slice(i, i + n)}`);
      }
    }
  }
  return counts;
}

function family(term: string, weights: FeatureOptions['weights']): number {
  switch (term.charCodeAt(0)) {
    case 119: // 'w'
      return weights.word;
    case 98: // 'b'
      return weights.bigram;
    case 107: // 'k'
      return weights.concept;
    default:
      return weights.char;
  }
}

/**
 * TF-IDF vectorizer with a vocabulary fixed at training time. Indices are assigned in sorted
 * term order, so the same training set always gives the same vectors.
 */
export class TfidfVectorizer {
  private constructor(
    private readonly index: ReadonlyMap<string, number>,
    private readonly idf: Float64Array,
    private readonly scale: Float64Array,
  ) {}

  /** Builds the vocabulary and IDF weights from the training documents. */
  static fit(docs: readonly TermCounts[], options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): TfidfVectorizer {
    const df = new Map<string, number>();
    for (const doc of docs) for (const term of doc.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    const terms = [...df.keys()].filter((t) => (df.get(t) ?? 0) >= options.minDf).sort();
    const index = new Map<string, number>();
    const idf = new Float64Array(terms.length);
    const scale = new Float64Array(terms.length);
    terms.forEach((term, i) => {
      index.set(term, i);
      idf[i] = Math.log((1 + docs.length) / (1 + (df.get(term) ?? 0))) + 1;
      scale[i] = family(term, options.weights);
    });
    return new TfidfVectorizer(index, idf, scale);
  }

  /** Number of features (vocabulary size). */
  get size(): number {
    return this.idf.length;
  }

  /** The L2-normalized TF-IDF vector of one document; unknown terms are skipped. */
  transform(doc: TermCounts): SparseVector {
    const pairs: [number, number][] = [];
    for (const [term, count] of doc) {
      const i = this.index.get(term);
      if (i === undefined) continue;
      const w = (1 + Math.log(count)) * (this.idf[i] ?? 0) * (this.scale[i] ?? 0);
      if (w !== 0) pairs.push([i, w]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    let norm = 0;
    for (const [, w] of pairs) norm += w * w;
    norm = Math.sqrt(norm) || 1;
    const indices = new Int32Array(pairs.length);
    const values = new Float64Array(pairs.length);
    pairs.forEach(([i, w], k) => {
      indices[k] = i;
      values[k] = w / norm;
    });
    return { indices, values };
  }
}
