import { seededRng } from '../../../src/domain/clock';
import { buildCsatQuestion, csatChoices, parseRating } from '../../../src/dialogue/csat';
import { fixtureContent } from './fixture-content';

describe('parseRating', () => {
  it.each([
    ['5', 5],
    [' 1 ', 1],
    ['4 kak', 4],
    ['nilai 5', 5],
    ['5 bintang', 5],
    ['5/5', 5],
    ['lima', 5],
    ['three stars', 3],
    ['⭐⭐⭐⭐', 4],
    ['⭐️⭐️⭐️⭐️⭐️', 5],
    ['★★★', 3],
    ['⭐', 1],
  ])('%j is the rating %d', (text, score) => {
    expect(parseRating(text)).toBe(score);
  });

  it.each([
    'jam buka toko brp?',
    '6',
    '0',
    '10',
    '2 atau 3',
    'masih belum bisa kak',
    '⭐⭐⭐⭐⭐⭐',
    'paket 2 berapa',
    '',
  ])('%j is not a rating (an ordinary message)', (text) => {
    expect(parseRating(text)).toBeUndefined();
  });

  it('reads the tapped buttons, and nothing else as a choice', () => {
    expect(parseRating('', 'csat_4')).toBe(4);
    expect(parseRating('', 'csat_9')).toBeUndefined();
    expect(parseRating('5', 'c1')).toBeUndefined();
  });
});

describe('buildCsatQuestion', () => {
  const content = fixtureContent();
  const base = { content, channel: 'rest', rng: seededRng(1), vars: { ticket_number: 'MJ-000007' } };

  it('asks in the customer language with five one-tap buttons where the channel shows five', () => {
    const message = buildCsatQuestion({
      ...base,
      locale: 'id',
      capabilities: { buttons: true, maxButtons: 5, maxButtonLabel: 20, maxTextLength: 4096 },
    });
    expect(message).toEqual({ text: 'Tiket MJ-000007 selesai. Balas 1–5 ya, Kak.', choices: csatChoices() });
    expect(csatChoices().map((c) => c.id)).toEqual(['csat_1', 'csat_2', 'csat_3', 'csat_4', 'csat_5']);
  });

  it('is plain text (which says how to answer) where five buttons do not fit', () => {
    const message = buildCsatQuestion({
      ...base,
      locale: 'en',
      capabilities: { buttons: true, maxButtons: 3, maxButtonLabel: 20, maxTextLength: 4096 },
    });
    expect(message).toEqual({ text: 'Ticket MJ-000007 is resolved. Reply 1–5.' });
  });
});
