import { DEFAULT_FEATURE_OPTIONS, extractTerms, TfidfVectorizer, type FeatureOptions } from '../../../src/nlu/features';

const opts = (over: Partial<FeatureOptions> = {}): FeatureOptions => ({ ...DEFAULT_FEATURE_OPTIONS, ...over });

describe('extractTerms', () => {
  test('stemmed unigrams and bigrams, concepts, and bounded character n-grams', () => {
    const terms = extractTerms(['tagihan', 'naik'], ['tagih', 'naik'], opts({ charNgrams: [3, 3] }));
    expect(terms.get('w:tagih')).toBe(1);
    expect(terms.get('b:tagih naik')).toBe(1);
    expect(terms.get('k:bill')).toBe(1);
    expect(terms.get('c:<ta')).toBe(1);
    expect(terms.get('c:an>')).toBe(1);
    expect(terms.has('c:tagihan')).toBe(false); // longer than the n-gram range
  });

  test('a typo still shares most character n-grams with the right word', () => {
    const a = extractTerms(['tagihan'], ['tagihan'], opts({ charNgrams: [3, 3] }));
    const b = extractTerms(['tagihn'], ['tagihn'], opts({ charNgrams: [3, 3] }));
    const shared = [...a.keys()].filter((t) => t.startsWith('c:') && b.has(t));
    expect(shared.sort()).toEqual(['c:<ta', 'c:agi', 'c:gih', 'c:tag']); // 4 of 6 trigrams of "tagihn"
    expect(a.has('w:tagihn')).toBe(false);
  });

  test('placeholders give a word term but no character n-grams', () => {
    const terms = extractTerms(['_phone_'], ['_phone_'], opts());
    expect([...terms.keys()]).toEqual(['w:_phone_']);
  });

  test('families can be switched off', () => {
    const terms = extractTerms(['a', 'b'], ['a', 'b'], opts({ charNgrams: [0, 0], wordBigrams: false }));
    expect([...terms.keys()].sort()).toEqual(['w:a', 'w:b']);
  });
});

describe('TfidfVectorizer', () => {
  const docs = [
    extractTerms(['tagihan', 'mahal'], ['tagih', 'mahal']),
    extractTerms(['jam', 'buka'], ['jam', 'buka']),
    extractTerms(['tagihan', 'salah'], ['tagih', 'salah']),
  ];

  test('vectors are L2-normalized with ascending indices', () => {
    const v = TfidfVectorizer.fit(docs);
    const x = v.transform(docs[0]!);
    const norm = Math.sqrt(x.values.reduce((s, w) => s + w * w, 0));
    expect(norm).toBeCloseTo(1, 12);
    for (let i = 1; i < x.indices.length; i++) expect(x.indices[i]!).toBeGreaterThan(x.indices[i - 1]!);
  });

  test('deterministic: the same documents give identical vectors', () => {
    const a = TfidfVectorizer.fit(docs).transform(docs[2]!);
    const b = TfidfVectorizer.fit(docs).transform(docs[2]!);
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
  });

  test('unknown terms are ignored; an all-unknown document is the zero vector', () => {
    const v = TfidfVectorizer.fit(docs);
    const x = v.transform(new Map([['w:zzz', 1]]));
    expect(x.indices.length).toBe(0);
  });

  test('a rare term weighs more than a common one (IDF)', () => {
    const v = TfidfVectorizer.fit(
      docs,
      opts({ charNgrams: [0, 0], wordBigrams: false, weights: { word: 1, bigram: 1, char: 1, concept: 0 } }),
    );
    const x = v.transform(
      new Map([
        ['w:tagih', 1],
        ['w:mahal', 1],
      ]),
    );
    // Indices follow sorted term order: 'w:mahal' (1 of 3 docs) before 'w:tagih' (2 of 3 docs).
    const [mahal, tagih] = Array.from(x.values);
    expect(mahal).toBeGreaterThan(tagih!);
  });

  test('minDf drops terms seen in too few examples', () => {
    const v = TfidfVectorizer.fit(docs, opts({ minDf: 2 }));
    const x = v.transform(
      new Map([
        ['w:tagih', 1],
        ['w:mahal', 1],
      ]),
    );
    expect(x.indices.length).toBe(1);
  });
});

describe('TfidfVectorizer class focus', () => {
  // 'w:kartu' and 'w:jam' occur in one intent's examples each, 'w:saya' in both intents' as often.
  const words = (...ws: string[]) => new Map(ws.map((w) => [`w:${w}`, 1]));
  const docs = [words('kartu', 'saya'), words('kartu', 'saya'), words('jam', 'saya'), words('jam', 'saya')];
  const labels = [0, 0, 1, 1];
  const wordsOnly = (classFocus: number) =>
    opts({ charNgrams: [0, 0], wordBigrams: false, weights: { word: 1, bigram: 1, char: 1, concept: 0 }, classFocus });
  /** Weight of 'w:kartu' over that of 'w:saya' (indices follow sorted term order). */
  const ratio = (v: TfidfVectorizer) => {
    const [kartu, saya] = Array.from(v.transform(words('kartu', 'saya')).values);
    return kartu! / saya!;
  };
  const idfOnly = ratio(TfidfVectorizer.fit(docs, wordsOnly(2)));

  test("a term of one intent's examples gains on one spread over all intents, more with classFocus", () => {
    const at2 = ratio(TfidfVectorizer.fit(docs, wordsOnly(2), labels));
    expect(at2).toBeGreaterThan(idfOnly * 1.1);
    expect(ratio(TfidfVectorizer.fit(docs, wordsOnly(4), labels))).toBeGreaterThan(at2);
  });

  test('classFocus 0 weighs as without labels: IDF alone', () => {
    expect(ratio(TfidfVectorizer.fit(docs, wordsOnly(0), labels))).toBeCloseTo(idfOnly, 12);
  });

  test('labels must align with the documents', () => {
    expect(() => TfidfVectorizer.fit(docs, wordsOnly(2), [0, 1])).toThrow(RangeError);
  });
});

describe('TfidfVectorizer.vectorize', () => {
  const corpus: [string[], string[]][] = [
    [
      ['tagihan', 'saya', 'naik'],
      ['tagih', 'saya', 'naik'],
    ],
    [
      ['jam', 'buka', 'toko'],
      ['jam', 'buka', 'toko'],
    ],
    [
      ['my', 'bill', 'is', 'wrong'],
      ['my', 'bill', 'is', 'wrong'],
    ],
    [
      ['call', '_phone_', 'now'],
      ['call', '_phone_', 'now'],
    ],
  ];
  const messages: [string[], string[]][] = [
    ...corpus,
    // typos and repeated terms (tf > 1)
    [
      ['tagihn', 'tagihn', 'naik', 'naik', 'naik'],
      ['tagihn', 'tagihn', 'naik', 'naik', 'naik'],
    ],
    [['zzz'], ['zzz']], // nothing known
    [[], []],
    [
      ['😡', 'a', 'tagihan'],
      ['😡', 'a', 'tagih'],
    ],
  ];

  test.each([
    ['defaults', opts()],
    ['trigrams only, no bigrams', opts({ charNgrams: [3, 3], wordBigrams: false })],
    ['no n-grams, no concepts', opts({ charNgrams: [0, 0], weights: { word: 1, bigram: 1, char: 1, concept: 0 } })],
    ['a zero family weight', opts({ weights: { word: 1, bigram: 1, char: 0, concept: 3 } })],
  ])('gives transform(extractTerms(…)) to the last bit (%s)', (_name, options) => {
    const v = TfidfVectorizer.fit(
      corpus.map(([tokens, stems]) => extractTerms(tokens, stems, options)),
      options,
    );
    for (const [tokens, stems] of messages) {
      const expected = v.transform(extractTerms(tokens, stems, options));
      const actual = v.vectorize(tokens, stems);
      expect(Array.from(actual.indices)).toEqual(Array.from(expected.indices));
      // toEqual compares numbers with Object.is: bit-identical, not merely close.
      expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
    }
  });
});
