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
 * little), multiplied by a per-family weight and, when the training labels are given, by a
 * *class focus* weight (see `classFocusScale`), and the vector is L2-normalized (so long and
 * short messages are comparable). The vocabulary is the set of terms seen in training; unseen terms
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
  /**
   * How much more a term weighs when its examples belong to few intents (see `classFocusScale`):
   * its scale is multiplied by 1 + classFocus · focus, focus in [0, 1]. 0 turns it off.
   */
  classFocus: number;
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
  classFocus: 2,
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
 * Pseudo-examples spread evenly over the classes before a term's class distribution is measured,
 * so that a term seen once (trivially in one class) is not treated as fully focused. 5 beat 1 and
 * 20 on BANKING77 (5-fold CV 91.52 / 91.43 / 91.28% at classFocus 2).
 */
const CLASS_FOCUS_PRIOR = 5;

/**
 * Class focus of every vocabulary term: 1 + strength · (1 − H / ln K), where H is the entropy of
 * the term's smoothed distribution over the K classes of the examples it occurs in. A term found
 * only in one intent's examples ("w:pin", "b:card arriv") gets up to 1 + strength; a term spread
 * over all intents ("w:my", "c:ing") stays near 1.
 *
 * Why it helps a softmax with an L2 penalty: scaling a feature up by s lets the classifier reach
 * the same score with a weight s times smaller, so the penalty on it shrinks by s², i.e. evidence
 * words are regularized less than filler. Measured (`bench/README.md`, 2026-12-07): BANKING77
 * 5-fold CV 91.27 → 91.52%, the sample content's 5-fold CV 95.47 → 95.65%, CLINC150 in-scope
 * 92.4 → 92.7% at the same OOS recall.
 *
 * `termIds[n]` lists the term ids of training document n (`indexOfId` maps an id to its
 * vocabulary index, −1 for a term left out); `labels[n]` is its class; `df[i]` is the document
 * frequency of vocabulary index i. O(term occurrences); deterministic (integer counts, then
 * per-term sums in a fixed order).
 */
function classFocusScale(
  termIds: readonly Int32Array[],
  indexOfId: Int32Array,
  df: Int32Array,
  labels: readonly number[],
  strength: number,
): Float64Array {
  const size = df.length;
  const focus = new Float64Array(size).fill(1);
  const K = labels.reduce((max, y) => Math.max(max, y + 1), 0);
  if (K < 2) return focus;
  // Compressed rows: for each vocabulary index, the labels of the df documents it occurs in.
  const start = new Int32Array(size + 1);
  for (let i = 0; i < size; i++) start[i + 1] = (start[i] as number) + (df[i] as number);
  const fill = start.slice(0, size);
  const rows = new Int32Array(start[size] as number);
  termIds.forEach((doc, n) => {
    for (const id of doc) {
      const i = indexOfId[id] as number;
      if (i < 0) continue;
      const at = fill[i] as number;
      rows[at] = labels[n] as number;
      fill[i] = at + 1;
    }
  });
  // Classes a term never occurs in all hold the same smoothed mass, so their share of the
  // entropy is one product: the cost is O(occurrences), not O(vocabulary × classes).
  const counts = new Float64Array(K);
  const present = new Int32Array(K);
  const logK = log(K);
  const even = CLASS_FOCUS_PRIOR / K;
  for (let i = 0; i < size; i++) {
    const from = start[i] as number;
    const to = start[i + 1] as number;
    let m = 0;
    for (let r = from; r < to; r++) {
      const k = rows[r] as number;
      if (counts[k] === 0) present[m++] = k;
      counts[k] = (counts[k] as number) + 1;
    }
    const total = to - from + CLASS_FOCUS_PRIOR;
    const q0 = even / total;
    let entropy = (K - m) * -(q0 * log(q0));
    for (let j = 0; j < m; j++) {
      const k = present[j] as number;
      const q = ((counts[k] as number) + even) / total;
      entropy -= q * log(q);
      counts[k] = 0;
    }
    focus[i] = 1 + strength * (1 - entropy / logK);
  }
  return focus;
}

const NO_TERM = -1;
const NO_NODE = -1;
const LT = 60; // '<'
const GT = 62; // '>'
// Local binding: inside Jest's vm sandbox every global lookup (`Math`) in a hot loop is slow.
const { log, sqrt, imul } = Math;

/**
 * The trie of the character n-grams of the vocabulary, one UTF-16 code unit per level, stored
 * flat in typed arrays: node 0 is the root, an edge (node, code unit) → child lives in an
 * open-addressing hash table. Walking it costs a multiply and a probe or two per code unit, no
 * string and no Map lookup, which matters because a message has about a hundred n-grams.
 */
class CharTrie {
  /** Vocabulary index of the n-gram spelled by the path to each node, or NO_TERM. */
  private terms: Int32Array;
  private nodes = 1;
  private readonly bits: number;
  /** Edge table: parent node, code unit and child node per slot; child NO_NODE = empty slot. */
  private readonly parents: Int32Array;
  private readonly codes: Int32Array;
  private readonly children: Int32Array;

  /** `maxEdges` bounds the number of edges to insert (the total length of the n-grams). */
  constructor(maxEdges: number) {
    // At most half full, so probe sequences stay short.
    this.bits = Math.max(4, Math.ceil(Math.log2(2 * maxEdges + 1)));
    const slots = 1 << this.bits;
    this.parents = new Int32Array(slots);
    this.codes = new Int32Array(slots);
    this.children = new Int32Array(slots).fill(NO_NODE);
    this.terms = new Int32Array(maxEdges + 1).fill(NO_TERM);
  }

  private slot(node: number, code: number): number {
    return imul(imul(node, 0x10001) ^ code, 0x9e3779b1) >>> (32 - this.bits);
  }

  /** The child of `node` along `code`, or NO_NODE. */
  child(node: number, code: number): number {
    const mask = (1 << this.bits) - 1;
    for (let at = this.slot(node, code); ; at = (at + 1) & mask) {
      const c = this.children[at] as number;
      if (c === NO_NODE || (this.parents[at] === node && this.codes[at] === code)) return c;
    }
  }

  /** Vocabulary index of the n-gram ending at `node`, or NO_TERM. */
  term(node: number): number {
    return this.terms[node] as number;
  }

  insert(gram: string, index: number): void {
    const mask = (1 << this.bits) - 1;
    let node = 0;
    for (let k = 0; k < gram.length; k++) {
      const code = gram.charCodeAt(k);
      let at = this.slot(node, code);
      while (this.children[at] !== NO_NODE && !(this.parents[at] === node && this.codes[at] === code)) {
        at = (at + 1) & mask;
      }
      if (this.children[at] === NO_NODE) {
        this.parents[at] = node;
        this.codes[at] = code;
        this.children[at] = this.nodes++;
      }
      node = this.children[at] as number;
    }
    this.terms[node] = index;
  }
}

/**
 * The vocabulary re-keyed for `TfidfVectorizer.vectorize`, which looks terms up without building
 * their strings: by family, and for character n-grams by walking a trie of code units.
 */
interface DirectLookup {
  /** Stem → index of `w:<stem>`. */
  words: Map<string, number>;
  /** Previous stem → stem → index of `b:<previous> <stem>`. */
  bigrams: Map<string, Map<string, number>>;
  /** Concept → index of `k:<concept>`. */
  concepts: Map<string, number>;
  /** The trie of every `c:` n-gram. */
  chars: CharTrie;
}

function buildLookup(index: ReadonlyMap<string, number>): DirectLookup {
  const words = new Map<string, number>();
  const bigrams = new Map<string, Map<string, number>>();
  const concepts = new Map<string, number>();
  let gramChars = 0;
  for (const term of index.keys()) if (term.startsWith('c:')) gramChars += term.length - 2;
  const chars = new CharTrie(gramChars);
  for (const [term, i] of index) {
    const body = term.slice(2);
    if (term.startsWith('w:')) words.set(body, i);
    else if (term.startsWith('k:')) concepts.set(body, i);
    else if (term.startsWith('b:')) {
      // `b:${previous} ${stem}` is split at EVERY space, not just the first: a stem containing a
      // space (none do today) would otherwise be unreachable. A lookup (previous, stem) then hits
      // exactly when `${previous} ${stem}` is the term, as with the string key.
      for (let at = body.indexOf(' '); at >= 0; at = body.indexOf(' ', at + 1)) {
        const first = body.slice(0, at);
        let inner = bigrams.get(first);
        if (!inner) bigrams.set(first, (inner = new Map()));
        inner.set(body.slice(at + 1), i);
      }
    } else if (term.startsWith('c:')) chars.insert(body, i);
  }
  return { words, bigrams, concepts, chars };
}

/**
 * TF-IDF vectorizer with a vocabulary fixed at training time. Indices are assigned in sorted
 * term order, so the same training set always gives the same vectors.
 *
 * Two ways in, one way out. `transform` takes the term counts of `extractTerms` (training, where
 * the counts are also needed to fit the vocabulary); `vectorize` goes straight from tokens and
 * stems to vocabulary indices (parsing, where the term strings would be garbage the moment they
 * are looked up). Both accumulate counts per vocabulary index in a scratch array and finish in
 * `finish`, the one place where weights, norm and values are computed, so the two give the
 * same vector to the last bit.
 */
export class TfidfVectorizer {
  /** Count per vocabulary index of the document being vectorized; all zero between calls. */
  private readonly counts: Float64Array;
  /** The indices with a non-zero count in `counts`, in the order they were first seen. */
  private touched = new Int32Array(256);
  private touchedLength = 0;
  /**
   * Output buffers of `vectorize`, grown with `touched`. Typed arrays over 64 bytes live outside
   * the JS heap and cost close to a microsecond each to allocate (and more to collect), about
   * as much as looking up all the terms, so the parse path reuses these.
   */
  private scratchIndices = new Int32Array(256);
  private scratchValues = new Float64Array(256);
  private lookup: DirectLookup | undefined;

  private constructor(
    private readonly index: ReadonlyMap<string, number>,
    private readonly idf: Float64Array,
    private readonly scale: Float64Array,
    /** The options of `fit`: `vectorize` extracts the same families the vocabulary holds. */
    private readonly options: FeatureOptions,
  ) {
    this.counts = new Float64Array(idf.length);
  }

  /**
   * Builds the vocabulary and IDF weights from the training documents; with their class `labels`
   * (aligned with `docs`), also the class focus weights (`options.classFocus`).
   */
  static fit(
    docs: readonly TermCounts[],
    options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
    labels?: readonly number[],
  ): TfidfVectorizer {
    // Terms get ids in the order first met; with labels, each document's ids are kept for the
    // class focus, so no term string is looked up twice.
    const focused = labels !== undefined && options.classFocus !== 0;
    if (focused && labels.length !== docs.length) throw new RangeError('documents and labels differ in length');
    const idOf = new Map<string, number>();
    const df: number[] = [];
    const termIds: Int32Array[] = [];
    for (const doc of docs) {
      const row = focused ? new Int32Array(doc.size) : undefined;
      let n = 0;
      for (const term of doc.keys()) {
        let id = idOf.get(term);
        if (id === undefined) {
          id = df.length;
          idOf.set(term, id);
          df.push(0);
        }
        df[id] = (df[id] as number) + 1;
        if (row) row[n++] = id;
      }
      if (row) termIds.push(row);
    }
    // Kept as [term, id] pairs, sorted by term (code-unit order, as `sort()` on strings).
    const terms = [...idOf]
      .filter(([, id]) => (df[id] as number) >= options.minDf)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const index = new Map<string, number>();
    const indexOfId = new Int32Array(df.length).fill(-1);
    const dfOf = new Int32Array(terms.length);
    const idf = new Float64Array(terms.length);
    const scale = new Float64Array(terms.length);
    terms.forEach(([term, id], i) => {
      index.set(term, i);
      indexOfId[id] = i;
      dfOf[i] = df[id] as number;
      idf[i] = Math.log((1 + docs.length) / (1 + (dfOf[i] as number))) + 1;
      scale[i] = family(term, options.weights);
    });
    if (focused) {
      const focus = classFocusScale(termIds, indexOfId, dfOf, labels, options.classFocus);
      for (let i = 0; i < terms.length; i++) scale[i] = (scale[i] as number) * (focus[i] as number);
    }
    return new TfidfVectorizer(index, idf, scale, options);
  }

  /** Number of features (vocabulary size). */
  get size(): number {
    return this.idf.length;
  }

  /** The L2-normalized TF-IDF vector of one document; unknown terms are skipped. */
  transform(doc: TermCounts): SparseVector {
    this.clear();
    for (const [term, count] of doc) {
      const i = this.index.get(term);
      if (i === undefined) continue;
      this.touch(i); // terms of a Map are distinct, so is `i`: the count is set, not added
      this.counts[i] = count;
    }
    return this.finish(false);
  }

  /**
   * The vector `transform(extractTerms(tokens, stems, options))` would give, without building
   * the term strings: each word, bigram, concept and character n-gram is looked up by family
   * (n-grams by walking a trie one code unit at a time, which also covers the 2-, 3- and 4-grams
   * starting at one position in a single walk) and counted by vocabulary index. Terms outside
   * the vocabulary are skipped as soon as the lookup fails. The options are those given to `fit`.
   *
   * The same occurrences as in `extractTerms` are counted, in another order; counts are
   * integers, so the order does not change them, and `finish` sorts by index anyway.
   *
   * The returned arrays are views of scratch buffers that the next `vectorize` overwrites:
   * consume the vector (score it) before vectorizing again, never keep it. Training keeps its
   * vectors for every epoch, which is why `transform` returns fresh ones.
   */
  vectorize(tokens: readonly string[], stems: readonly string[]): SparseVector {
    const { options } = this;
    const lookup = (this.lookup ??= buildLookup(this.index));
    this.clear();
    for (let i = 0; i < stems.length; i++) {
      const s = stems[i] as string;
      this.count(lookup.words.get(s));
      if (options.wordBigrams && i > 0) this.count(lookup.bigrams.get(stems[i - 1] as string)?.get(s));
    }
    if (options.weights.concept > 0) for (const c of conceptsOf(tokens, stems)) this.count(lookup.concepts.get(c));
    const [minN, maxN] = options.charNgrams;
    if (minN > 0) for (const token of tokens) if (!token.startsWith('_')) this.countCharNgrams(token, minN, maxN);
    return this.finish(true);
  }

  /**
   * Counts the n-grams (minN ≤ n ≤ maxN) of `<token>` found in the trie. The boundary markers
   * are read as virtual code units at positions 0 and length + 1, so `<token>` is never built.
   */
  private countCharNgrams(token: string, minN: number, maxN: number): void {
    const trie = (this.lookup as DirectLookup).chars;
    const end = token.length + 2;
    for (let start = 0; start < end; start++) {
      let node = 0;
      for (let at = start, n = 1; n <= maxN && at < end; at++, n++) {
        const code = at === 0 ? LT : at === end - 1 ? GT : token.charCodeAt(at - 1);
        node = trie.child(node, code);
        if (node === NO_NODE) break; // no longer n-gram of the vocabulary starts this way
        if (n >= minN) {
          const i = trie.term(node);
          if (i !== NO_TERM) this.count(i);
        }
      }
    }
  }

  /**
   * Zeroes counts a previous call left behind. `finish` already does it, so this only matters
   * if a call threw halfway (stale counts would otherwise leak into the next vector).
   */
  private clear(): void {
    for (let k = 0; k < this.touchedLength; k++) this.counts[this.touched[k] as number] = 0;
    this.touchedLength = 0;
  }

  /** Adds one occurrence of vocabulary index `i` (undefined: not in the vocabulary). */
  private count(i: number | undefined): void {
    if (i === undefined) return;
    if (this.counts[i] === 0) this.touch(i);
    this.counts[i] = (this.counts[i] as number) + 1;
  }

  private touch(i: number): void {
    if (this.touchedLength === this.touched.length) {
      const grown = new Int32Array(this.touched.length * 2);
      grown.set(this.touched);
      this.touched = grown;
      this.scratchIndices = new Int32Array(grown.length);
      this.scratchValues = new Float64Array(grown.length);
    }
    this.touched[this.touchedLength++] = i;
  }

  /**
   * Turns the counts of the touched indices into the L2-normalized vector and clears them; in
   * the scratch buffers (views returned) or in fresh arrays.
   *
   * The arithmetic is fixed to the last bit: each weight is `(1 + ln tf) · idf · scale` in that
   * order, zero weights are dropped, and the squares are summed in ascending index order (the
   * order of the vector itself). Floating-point addition is not associative, so summing in
   * another order (e.g. the order terms were met) could move the norm, and every value, by an
   * ulp. Sorting the touched indices, plain integers in a typed array, is cheap. A count of 1,
   * by far the most common, skips the logarithm: ln 1 is exactly 0, so `1 + ln 1` is exactly 1.
   */
  private finish(scratch: boolean): SparseVector {
    const { counts, idf, scale } = this;
    const touched = this.touched.subarray(0, this.touchedLength).sort();
    const indices = scratch ? this.scratchIndices : new Int32Array(touched.length);
    const values = scratch ? this.scratchValues : new Float64Array(touched.length);
    let nnz = 0;
    for (let k = 0; k < touched.length; k++) {
      const i = touched[k] as number;
      const count = counts[i] as number;
      const w = (count === 1 ? 1 : 1 + log(count)) * (idf[i] ?? 0) * (scale[i] ?? 0);
      counts[i] = 0;
      if (w === 0) continue;
      indices[nnz] = i;
      values[nnz++] = w;
    }
    this.touchedLength = 0;
    let norm = 0;
    for (let k = 0; k < nnz; k++) norm += (values[k] as number) * (values[k] as number);
    norm = sqrt(norm) || 1;
    for (let k = 0; k < nnz; k++) values[k] = (values[k] as number) / norm;
    if (scratch) return { indices: indices.subarray(0, nnz), values: values.subarray(0, nnz) };
    return nnz === touched.length
      ? { indices, values }
      : { indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
  }
}
