import type { PendingClarification } from '../../../src/domain/conversation';
import { decide, pickCandidates, thresholdsFor } from '../../../src/dialogue/policy';
import { fixtureContent, nluResult } from './fixture-content';

const content = fixtureContent();

/** A pending question that offered store_hours, store_location and "other". */
const pending: PendingClarification = {
  originalText: 'toko kapan',
  options: [
    { choice: { id: 'c1', label: 'Jam buka toko' }, intent: 'store_hours' },
    { choice: { id: 'c2', label: 'Lokasi toko' }, intent: 'store_location' },
    { choice: { id: 'c0', label: 'Lainnya / petugas' }, intent: null },
  ],
  ranking: [
    { intent: 'store_hours', confidence: 0.4 },
    { intent: 'store_location', confidence: 0.35 },
  ],
  askedAt: 0,
};

const confidentHours = nluResult([
  ['store_hours', 0.8],
  ['store_location', 0.1],
  ['product_price', 0.1],
]);

describe('safety rules', () => {
  test('handoff:human_request goes to the human category, even when the classifier is confident', () => {
    const nlu = { ...confidentHours, rules: [{ rule: 'human_request' as const, term: 'mau bicara dengan cs' }] };
    const d = decide({ nlu, content });
    expect(d).toMatchObject({ action: 'handoff', category: 'human', intent: null, rule: 'handoff:human_request' });
    expect(d.reason).toContain('mau bicara dengan cs');
  });

  test('handoff:emergency goes to the emergency category and keeps a matching top intent', () => {
    const nlu = nluResult(
      [
        ['outage', 0.5],
        ['no_connection', 0.5],
      ],
      [{ rule: 'emergency', term: 'putus total' }],
    );
    expect(decide({ nlu, content })).toMatchObject({
      action: 'handoff',
      category: 'emergency',
      intent: 'outage',
      rule: 'handoff:emergency',
    });
  });

  test('handoff:emergency drops a top intent of another category', () => {
    const nlu = { ...confidentHours, rules: [{ rule: 'emergency' as const, term: 'putus total' }] };
    expect(decide({ nlu, content })).toMatchObject({ category: 'emergency', intent: null });
  });

  test('handoff:emergency falls back to the human category when routing has no emergency', () => {
    const noEmergency = fixtureContent({ without: ['emergency'] });
    const nlu = nluResult([['store_hours', 1]], [{ rule: 'emergency', term: 'putus total' }]);
    expect(decide({ nlu, content: noEmergency })).toMatchObject({ category: 'human', rule: 'handoff:emergency' });
  });

  test('handoff:complaint_tone goes to the complaint category', () => {
    const nlu = nluResult(
      [
        ['store_hours', 0.3],
        ['store_location', 0.3],
        ['product_price', 0.4],
      ],
      [{ rule: 'complaint_tone', term: 'kecewa' }],
    );
    expect(decide({ nlu, content })).toMatchObject({
      action: 'handoff',
      category: 'complaint',
      rule: 'handoff:complaint_tone',
    });
  });

  test('precedence: human request beats emergency beats complaint tone', () => {
    const all = nluResult(
      [['store_hours', 1]],
      [
        { rule: 'complaint_tone', term: 'kecewa' },
        { rule: 'emergency', term: 'putus total' },
        { rule: 'human_request', term: 'minta cs' },
      ],
    );
    expect(decide({ nlu: all, content }).rule).toBe('handoff:human_request');
    const two = nluResult(
      [['store_hours', 1]],
      [
        { rule: 'complaint_tone', term: 'kecewa' },
        { rule: 'emergency', term: 'putus total' },
      ],
    );
    expect(decide({ nlu: two, content }).rule).toBe('handoff:emergency');
  });

  test.each([
    ['human_request', 'handoff:human_request'],
    ['emergency', 'handoff:emergency'],
    ['complaint_tone', 'handoff:complaint_tone'],
  ] as const)('%s beats a pending clarification and a chosen option', (rule, expected) => {
    const nlu = nluResult(
      [
        ['store_hours', 0.4],
        ['store_location', 0.6],
      ],
      [{ rule, term: 't' }],
    );
    expect(decide({ nlu, content, pending }).rule).toBe(expected);
    expect(decide({ nlu, content, pending, chosen: { intent: 'store_hours' } }).rule).toBe(expected);
  });
});

describe('chosen option', () => {
  const vague = nluResult([
    ['product_price', 0.4],
    ['how_to_order', 0.35],
    ['store_hours', 0.25],
  ]);

  test('answer:clarified_choice answers the chosen intent whatever the new ranking says', () => {
    expect(decide({ nlu: vague, content, pending, chosen: { intent: 'store_location' } })).toMatchObject({
      action: 'answer',
      intent: 'store_location',
      category: 'info',
      template: 'store_location',
      rule: 'answer:clarified_choice',
    });
  });

  test('handoff:clarified_choice hands a handoff intent to its category', () => {
    expect(decide({ nlu: vague, content, pending, chosen: { intent: 'billing_dispute' } })).toMatchObject({
      action: 'handoff',
      category: 'billing',
      intent: 'billing_dispute',
      rule: 'handoff:clarified_choice',
    });
  });

  test('handoff:clarify_other hands "other / a person" to the human category', () => {
    expect(decide({ nlu: vague, content, pending, chosen: { intent: null } })).toMatchObject({
      action: 'handoff',
      category: 'human',
      intent: null,
      rule: 'handoff:clarify_other',
    });
  });

  test('a chosen intent that no longer exists goes to a person', () => {
    expect(decide({ nlu: vague, content, pending, chosen: { intent: 'removed_intent' } })).toMatchObject({
      action: 'handoff',
      category: 'human',
      rule: 'handoff:clarified_choice',
    });
  });
});

describe('confident', () => {
  test('answer:confident answers with the intent template', () => {
    const d = decide({ nlu: confidentHours, content });
    expect(d).toMatchObject({
      action: 'answer',
      intent: 'store_hours',
      template: 'store_hours',
      rule: 'answer:confident',
    });
    expect(d.reason).toBe('top store_hours 0.80 ≥ 0.55, margin 0.70 ≥ 0.15');
  });

  test('handoff:category hands a confident handoff intent to its category and names it', () => {
    const nlu = nluResult([
      ['billing_dispute', 0.7],
      ['store_hours', 0.2],
      ['product_price', 0.1],
    ]);
    const d = decide({ nlu, content });
    expect(d).toMatchObject({
      action: 'handoff',
      category: 'billing',
      intent: 'billing_dispute',
      rule: 'handoff:category',
    });
    expect(d.reason).toContain('billing');
  });

  test('exactly at the thresholds is confident', () => {
    const nlu = nluResult([
      ['store_hours', 0.55],
      ['store_location', 0.4],
      ['product_price', 0.05],
    ]);
    expect(decide({ nlu, content }).rule).toBe('answer:confident');
  });

  test('a single-intent ranking has margin = top', () => {
    expect(decide({ nlu: nluResult([['store_hours', 1]]), content }).rule).toBe('answer:confident');
  });

  test('a confident reply to a pending question is acted on even outside the offered options', () => {
    const nlu = nluResult([
      ['product_price', 0.9],
      ['store_hours', 0.1],
    ]);
    expect(decide({ nlu, content, pending })).toMatchObject({ intent: 'product_price', rule: 'answer:confident' });
  });
});

describe('per-category thresholds', () => {
  test('the top intent category overrides the global answer threshold', () => {
    expect(thresholdsFor(content, 'reset_password')).toEqual({ answer: 0.8, margin: 0.15, candidate: 0.08 });
    expect(thresholdsFor(content, 'store_hours')).toEqual({ answer: 0.55, margin: 0.15, candidate: 0.08 });
  });

  test('0.7 answers an info intent but clarifies a technical one (answer 0.8)', () => {
    expect(
      decide({
        nlu: nluResult([
          ['store_hours', 0.7],
          ['store_location', 0.3],
        ]),
        content,
      }).rule,
    ).toBe('answer:confident');
    const d = decide({
      nlu: nluResult([
        ['reset_password', 0.7],
        ['no_connection', 0.3],
      ]),
      content,
    });
    expect(d.action).toBe('clarify');
    expect(d.rule).toBe('clarify:low_confidence');
    expect(d.reason).toBe('top reset_password 0.70 < 0.80');
  });
});

describe('free-text reply to the clarifying question', () => {
  test('answer:clarified_text when the reply clearly points at one offered option', () => {
    // Restricted to the offered intents: 0.45 / (0.45 + 0.15) = 0.75 ≥ 0.6.
    const nlu = nluResult([
      ['store_hours', 0.45],
      ['product_price', 0.4],
      ['store_location', 0.15],
    ]);
    expect(decide({ nlu, content, pending })).toMatchObject({
      action: 'answer',
      intent: 'store_hours',
      rule: 'answer:clarified_text',
    });
  });

  test('handoff:clarified_text when the clarified intent is a handoff intent', () => {
    const billingPending: PendingClarification = {
      ...pending,
      options: [
        { choice: { id: 'c1', label: 'Tagihan tidak sesuai' }, intent: 'billing_dispute' },
        { choice: { id: 'c2', label: 'Harga paket internet' }, intent: 'product_price' },
        { choice: { id: 'c0', label: 'Lainnya / petugas' }, intent: null },
      ],
    };
    const nlu = nluResult([
      ['billing_dispute', 0.5],
      ['store_hours', 0.4],
      ['product_price', 0.1],
    ]);
    expect(decide({ nlu, content, pending: billingPending })).toMatchObject({
      action: 'handoff',
      category: 'billing',
      intent: 'billing_dispute',
      rule: 'handoff:clarified_text',
    });
  });

  test('handoff:second_miss when the offered options stay ambiguous: never a second question', () => {
    // 0.3 / (0.3 + 0.25) = 0.55 < 0.6
    const nlu = nluResult([
      ['store_hours', 0.3],
      ['store_location', 0.25],
      ['product_price', 0.25],
      ['how_to_order', 0.2],
    ]);
    const d = decide({ nlu, content, pending });
    expect(d).toMatchObject({ action: 'handoff', category: 'human', intent: null, rule: 'handoff:second_miss' });
    expect(d.reason).toContain('share 0.55 < 0.60');
  });

  test('handoff:second_miss when the best offered option is below the candidate threshold', () => {
    // Share 0.05 / 0.06 is high, but 0.05 raw confidence is noise.
    const nlu = nluResult([
      ['product_price', 0.5],
      ['how_to_order', 0.44],
      ['store_hours', 0.05],
      ['store_location', 0.01],
    ]);
    expect(decide({ nlu, content, pending }).rule).toBe('handoff:second_miss');
  });

  test('handoff:second_miss when no offered intent is in the ranking at all', () => {
    const nlu = nluResult([
      ['product_price', 0.5],
      ['how_to_order', 0.5],
    ]);
    expect(decide({ nlu, content, pending }).rule).toBe('handoff:second_miss');
  });

  test('a low-confidence reply while pending never produces clarify', () => {
    const rankings: [string, number][][] = [
      [
        ['store_hours', 0.2],
        ['store_location', 0.2],
        ['product_price', 0.2],
        ['how_to_order', 0.2],
        ['outage', 0.2],
      ],
      [
        ['how_to_order', 0.5],
        ['product_price', 0.45],
        ['store_hours', 0.05],
      ],
      [
        ['store_location', 0.34],
        ['store_hours', 0.33],
        ['product_price', 0.33],
      ],
    ];
    for (const r of rankings) expect(decide({ nlu: nluResult(r), content, pending }).action).not.toBe('clarify');
  });
});

describe('clarify', () => {
  test('clarify:low_confidence when the top is below the answer threshold', () => {
    const d = decide({
      nlu: nluResult([
        ['store_hours', 0.4],
        ['store_location', 0.35],
        ['product_price', 0.25],
      ]),
      content,
    });
    expect(d.rule).toBe('clarify:low_confidence');
    expect(d.reason).toBe('top store_hours 0.40 < 0.55');
  });

  test('clarify:low_margin when confident but too close to the runner-up', () => {
    const d = decide({
      nlu: nluResult([
        ['store_hours', 0.56],
        ['store_location', 0.44],
      ]),
      content,
    });
    expect(d.rule).toBe('clarify:low_margin');
    expect(d.reason).toBe('top-2 margin 0.12 < 0.15');
  });

  test('offers at most three candidates above the candidate threshold, best first', () => {
    const d = decide({
      nlu: nluResult([
        ['store_hours', 0.3],
        ['store_location', 0.25],
        ['product_price', 0.2],
        ['how_to_order', 0.15],
        ['outage', 0.1],
      ]),
      content,
    });
    if (d.action !== 'clarify') throw new Error('expected clarify');
    expect(d.candidates.map((c) => c.intent)).toEqual(['store_hours', 'store_location', 'product_price']);
  });

  test('drops candidates below the candidate threshold when two or more pass', () => {
    const d = decide({
      nlu: nluResult([
        ['store_hours', 0.5],
        ['store_location', 0.45],
        ['product_price', 0.05],
      ]),
      content,
    });
    if (d.action !== 'clarify') throw new Error('expected clarify');
    expect(d.candidates.map((c) => c.intent)).toEqual(['store_hours', 'store_location']);
  });

  test('pads with the next best to offer at least two', () => {
    expect(
      pickCandidates(
        [
          { intent: 'a', confidence: 0.5 },
          { intent: 'b', confidence: 0.05 },
          { intent: 'c', confidence: 0.04 },
        ],
        0.08,
      ),
    ).toEqual([
      { intent: 'a', confidence: 0.5 },
      { intent: 'b', confidence: 0.05 },
    ]);
    expect(pickCandidates([{ intent: 'a', confidence: 1 }], 0.08)).toEqual([{ intent: 'a', confidence: 1 }]);
  });
});

test('an empty ranking (no intents) goes to a person', () => {
  expect(decide({ nlu: nluResult([]), content })).toMatchObject({ action: 'handoff', category: 'human' });
});
