import { seededRng } from '../../src/domain/clock';
test('seeded rng is deterministic', () => {
  const a = seededRng(1), b = seededRng(1);
  expect([a.next(), a.next()]).toEqual([b.next(), b.next()]);
});
