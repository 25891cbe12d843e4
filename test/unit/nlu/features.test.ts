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
