import type { ChannelCapabilities } from '../../../src/channels/types';
import { buildClarification, parseChoiceNumber, resolveChoice, truncateLabel } from '../../../src/dialogue/clarify';
import { baseVars } from '../../../src/dialogue/render';
import { seededRng } from '../../../src/domain/clock';
import type { PendingClarification } from '../../../src/domain/conversation';
import { fixtureContent } from './fixture-content';

const content = fixtureContent();
const telegram: ChannelCapabilities = { buttons: true, maxButtons: 8, maxButtonLabel: 64, maxTextLength: 4096 };
const whatsapp: ChannelCapabilities = { buttons: true, maxButtons: 3, maxButtonLabel: 20, maxTextLength: 4096 };
const plain: ChannelCapabilities = { buttons: false, maxButtons: 0, maxButtonLabel: 0, maxTextLength: 4096 };

const two = [
  { intent: 'store_hours', confidence: 0.4 },
  { intent: 'store_location', confidence: 0.35 },
];
const three = [...two, { intent: 'product_price', confidence: 0.2 }];

function build(candidates = three, capabilities = telegram, locale: 'id' | 'en' = 'id') {
  return buildClarification({
    candidates,
    content,
    locale,
    capabilities,
    rng: seededRng(1),
    vars: baseVars(content, locale),
  });
}

describe('buildClarification', () => {
  test('with buttons: the question, one choice per candidate and "other" last', () => {
    const { message, pending } = build();
    expect(message.text).toBe('Maaf Kak, maksudnya yang mana ya?');
    expect(message.choices).toEqual([
      { id: 'c1', label: 'Jam buka toko' },
      { id: 'c2', label: 'Lokasi toko' },
      { id: 'c3', label: 'Harga paket internet' },
      { id: 'c0', label: 'Lainnya / petugas' },
    ]);
    expect(pending.options.map((o) => o.intent)).toEqual(['store_hours', 'store_location', 'product_price', null]);
    for (const c of message.choices ?? []) expect(Buffer.byteLength(c.id)).toBeLessThanOrEqual(64);
  });

  test('labels follow the locale', () => {
    const { message } = build(two, telegram, 'en');
    expect(message.text).toBe('Sorry there, which one do you mean?');
    expect(message.choices?.map((c) => c.label)).toEqual(['Opening hours', 'Store location', 'Other / a person']);
  });

  test('button labels are cut to the channel limit, the pending record keeps full labels', () => {
    const narrow = { ...telegram, maxButtonLabel: 10 };
    const { message, pending } = build(three, narrow);
    expect(message.choices?.map((c) => c.label)).toEqual(['Jam buka…', 'Lokasi to…', 'Harga pak…', 'Lainnya /…']);
    for (const c of message.choices ?? []) expect(Array.from(c.label).length).toBeLessThanOrEqual(10);
    expect(pending.options[2]?.choice.label).toBe('Harga paket internet');
  });

  test('two candidates + other fit WhatsApp’s three buttons', () => {
    expect(build(two, whatsapp).message.choices).toHaveLength(3);
  });

  test('more options than buttons: a numbered list with the hint and no choices', () => {
    const { message, pending } = build(three, whatsapp);
    expect(message.choices).toBeUndefined();
    expect(message.text).toBe(
      'Maaf Kak, maksudnya yang mana ya?\n\n' +
        '1. Jam buka toko\n2. Lokasi toko\n3. Harga paket internet\n4. Lainnya / petugas\n\n' +
        'Balas dengan angka 1–4 ya, Kak.',
    );
    expect(pending.options).toHaveLength(4);
  });

  test('no buttons at all: numbered list in English too', () => {
    const { message } = build(two, plain, 'en');
    expect(message.choices).toBeUndefined();
    expect(message.text).toBe(
      'Sorry there, which one do you mean?\n\n1. Opening hours\n2. Store location\n3. Other / a person\n\nReply with a number 1–3.',
    );
  });

  test('a numbered answer picks the option at that position of the list', () => {
    const { pending } = build(three, plain);
    const full: PendingClarification = { ...pending, originalText: 'x', ranking: [], askedAt: 0 };
    expect(resolveChoice(full, undefined, '3')).toEqual({ intent: 'product_price' });
    expect(resolveChoice(full, undefined, '4')).toEqual({ intent: null });
  });
});

test('truncateLabel', () => {
  expect(truncateLabel('Jam buka toko', 20)).toBe('Jam buka toko');
  expect(truncateLabel('Jam buka toko', 13)).toBe('Jam buka toko');
  expect(truncateLabel('Jam buka toko', 12)).toBe('Jam buka to…');
  expect(truncateLabel('😀😀😀😀', 3)).toBe('😀😀…');
});

describe('resolveChoice', () => {
  const pending: PendingClarification = {
    originalText: 'toko kapan',
    options: [
      { choice: { id: 'c1', label: 'Jam buka toko' }, intent: 'store_hours' },
      { choice: { id: 'c2', label: 'Lokasi toko' }, intent: 'store_location' },
      { choice: { id: 'c3', label: 'Harga paket internet' }, intent: 'product_price' },
      { choice: { id: 'c0', label: 'Lainnya / petugas' }, intent: null },
    ],
    ranking: [],
    askedAt: 0,
  };

  test.each([
    // by choice id
    ['c1', '', 'store_hours'],
    ['c3', '', 'product_price'],
    ['c0', '', null],
    // numbers
    [undefined, '1', 'store_hours'],
    [undefined, '2.', 'store_location'],
    [undefined, ' 3 ', 'product_price'],
    [undefined, '4', null],
    [undefined, 'no 2', 'store_location'],
    [undefined, 'no.2', 'store_location'],
    [undefined, 'nomor 2', 'store_location'],
    [undefined, 'yg ke-2', 'store_location'],
    [undefined, 'yang ke 3 aja kak', 'product_price'],
    [undefined, 'yang kedua', 'store_location'],
    [undefined, 'pilih 3', 'product_price'],
    [undefined, '#1', 'store_hours'],
    [undefined, 'satu', 'store_hours'],
    [undefined, 'Dua', 'store_location'],
    [undefined, 'tiga!', 'product_price'],
    [undefined, 'pertama', 'store_hours'],
    [undefined, 'one', 'store_hours'],
    [undefined, 'two', 'store_location'],
    [undefined, 'three please', 'product_price'],
    [undefined, 'the second one', 'store_location'],
    [undefined, 'option 1', 'store_hours'],
    // labels typed out
    [undefined, 'jam buka toko', 'store_hours'],
    [undefined, 'LOKASI TOKO!', 'store_location'],
    [undefined, 'lainnya / petugas', null],
    // an unknown id falls through to the text
    ['c9', '2', 'store_location'],
  ] as const)('choice %s, text %j → %s', (choice, text, intent) => {
    expect(resolveChoice(pending, choice, text)).toEqual({ intent });
  });

  test.each([
    [undefined, ''],
    [undefined, '0'],
    [undefined, '5'],
    [undefined, 'lima'],
    [undefined, 'yang kelima'],
    [undefined, '12'],
    [undefined, 'paket 2 berapa?'],
    [undefined, '1 atau 2'],
    [undefined, 'jam buka toko hari minggu?'],
    [undefined, 'no'],
    ['c9', ''],
  ] as const)('choice %s, text %j → free text (undefined)', (choice, text) => {
    expect(resolveChoice(pending, choice, text)).toBeUndefined();
  });

  test('parseChoiceNumber reads only short number replies', () => {
    expect(parseChoiceNumber('ke2')).toBe(2);
    expect(parseChoiceNumber('saya mau yang ketiga')).toBe(3);
    expect(parseChoiceNumber('the 2nd')).toBe(2);
    expect(parseChoiceNumber('mau beli 2 router')).toBeUndefined();
  });
});
