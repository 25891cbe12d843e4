import { baseVars, fill, renderTemplate, splitText } from '../../../src/dialogue/render';
import { seededRng, type Rng } from '../../../src/domain/clock';
import { isAppError } from '../../../src/domain/errors';
import { fixtureContent } from './fixture-content';

const content = fixtureContent();
const vars = baseVars(content, 'id');
/** An Rng that returns the given values in turn. */
const fixed = (...values: number[]): Rng => {
  let i = 0;
  return { next: () => values[i++ % values.length] ?? 0 };
};

describe('renderTemplate', () => {
  test('the rng picks the variant', () => {
    const opts = { locale: 'id' as const, vars };
    expect(renderTemplate(content, 'store_hours', { ...opts, rng: fixed(0) })).toBe(
      'Jam buka A: Senin–Jumat 08.00–17.00 WIB',
    );
    expect(renderTemplate(content, 'store_hours', { ...opts, rng: fixed(0.5) })).toBe(
      'Jam buka B: Senin–Jumat 08.00–17.00 WIB',
    );
    expect(renderTemplate(content, 'store_hours', { ...opts, rng: fixed(0.9999) })).toBe(
      'Jam buka C: Senin–Jumat 08.00–17.00 WIB',
    );
  });

  test('a seeded rng is reproducible and reaches every variant', () => {
    const run = () => {
      const rng = seededRng(42);
      return Array.from({ length: 30 }, () => renderTemplate(content, 'store_hours', { locale: 'id', vars, rng }));
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(new Set(first.map((t) => t.slice(0, 10)))).toEqual(new Set(['Jam buka A', 'Jam buka B', 'Jam buka C']));
  });

  test('a channel override replaces the variants for its locale only', () => {
    const rng = fixed(0.5);
    expect(renderTemplate(content, 'store_hours', { locale: 'id', channel: 'whatsapp', vars, rng })).toBe(
      'WA: Senin–Jumat 08.00–17.00 WIB',
    );
    // No English override for WhatsApp: the base English variants.
    expect(
      renderTemplate(content, 'store_hours', {
        locale: 'en',
        channel: 'whatsapp',
        vars: baseVars(content, 'en'),
        rng: fixed(0),
      }),
    ).toBe('Hours A: Monday–Friday 08:00–17:00 WIB');
    // Another channel: base variants.
    expect(renderTemplate(content, 'store_hours', { locale: 'id', channel: 'telegram', vars, rng: fixed(0) })).toBe(
      'Jam buka A: Senin–Jumat 08.00–17.00 WIB',
    );
  });

  test('substitutes base variables, with the polite default name', () => {
    expect(renderTemplate(content, 'greeting', { locale: 'id', vars, rng: fixed(0) })).toBe(
      'Halo Kak, selamat datang di MAJU JAYA!',
    );
    expect(
      renderTemplate(content, 'greeting', { locale: 'en', vars: baseVars(content, 'en', 'Budi'), rng: fixed(0) }),
    ).toBe('Hi Budi, welcome to MAJU JAYA!');
  });

  test('an unknown template id throws a clear error', () => {
    let caught: unknown;
    try {
      renderTemplate(content, 'nope', { locale: 'id', vars, rng: fixed(0) });
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught) && caught.code).toBe('CONTENT_INVALID');
    expect((caught as Error).message).toContain('"nope"');
  });
});

describe('fill', () => {
  test.each([
    ['Halo {{customer_name}}!', { customer_name: 'Budi' }, 'Halo Budi!'],
    ['Halo {{ customer_name }}!', { customer_name: 'Budi' }, 'Halo Budi!'],
    ['Pilih 1–{{count}}', { count: 3 }, 'Pilih 1–3'],
    ['Tim {{team}} akan membalas {{team_where}} ya.', { team: 'Billing' }, 'Tim Billing akan membalas ya.'],
    ['Halo {{customer_name}}, ada yang bisa dibantu?', {}, 'Halo, ada yang bisa dibantu?'],
    ['{{customer_name}} selamat pagi', {}, 'selamat pagi'],
    ['Tiket {{ticket_number}}', { ticket_number: '' }, 'Tiket'],
    ['a  b {{team}}', {}, 'a  b'],
    ['{{unknown}}x', {}, 'x'],
    ['a {{team}} {{team_where}} b', {}, 'a b'],
    ['Baris satu {{team}}\n{{team}} baris dua', {}, 'Baris satu\nbaris dua'],
    ['Kode {{ticket_number}}', { ticket_number: '{{team}}' }, 'Kode {{team}}'],
  ])('%j with %j → %j', (text, v, expected) => {
    expect(fill(text, v)).toBe(expected);
  });
});

describe('baseVars', () => {
  test('defaults and business values per locale', () => {
    expect(baseVars(content, 'id')).toEqual({
      customer_name: 'Kak',
      business_name: 'MAJU JAYA',
      business_hours: 'Senin–Jumat 08.00–17.00 WIB',
    });
    expect(baseVars(content, 'en').customer_name).toBe('there');
    expect(baseVars(content, 'en', '   ').customer_name).toBe('there');
  });

  test('a display name is one line without braces and bounded', () => {
    expect(baseVars(content, 'id', ' Siti\nAminah ').customer_name).toBe('Siti Aminah');
    expect(baseVars(content, 'id', '{{team}}').customer_name).toBe('team');
    expect(Array.from(baseVars(content, 'id', 'x'.repeat(100)).customer_name)).toHaveLength(40);
  });
});

describe('splitText', () => {
  test.each([
    ['short', 10, ['short']],
    ['', 10, []],
    // paragraphs first
    ['Para satu.\n\nPara dua.', 12, ['Para satu.', 'Para dua.']],
    ['Satu.\n\nDua.\n\nTiga.', 13, ['Satu.\n\nDua.', 'Tiga.']],
    // then lines (numbered lists stay whole lines)
    ['1. Jam buka\n2. Lokasi\n3. Harga', 21, ['1. Jam buka\n2. Lokasi', '3. Harga']],
    // then sentences
    ['Halo Kak. Toko buka jam 08.00. Terima kasih!', 20, ['Halo Kak.', 'Toko buka jam 08.00.', 'Terima kasih!']],
    // then words
    ['satu dua tiga empat lima', 10, ['satu dua', 'tiga empat', 'lima']],
    // a word longer than the limit is the only thing cut
    ['ab abcdefghij cd', 4, ['ab', 'abcd', 'efgh', 'ij', 'cd']],
  ])('%j at %d → %j', (text, max, expected) => {
    expect(splitText(text, max)).toEqual(expected);
  });

  test('every chunk fits, no word is cut, and no text is lost', () => {
    const words = Array.from({ length: 400 }, (_, i) => `kata${i}`);
    const text = `${words.slice(0, 150).join(' ')}.\n\n${words.slice(150).join(' ')}!`;
    const chunks = splitText(text, 100);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(100);
    expect(chunks.join(' ').split(/\s+/)).toEqual(text.split(/\s+/));
  });

  test('never cuts inside a surrogate pair', () => {
    const chunks = splitText('😀'.repeat(5), 3);
    expect(chunks).toEqual(['😀', '😀', '😀', '😀', '😀']);
  });

  test('rejects a non-positive limit', () => {
    expect(() => splitText('x', 0)).toThrow(RangeError);
  });
});
