/**
 * The hot-reload retrain (`buildBrainInTurns`) learns the same model as the one-go training, and
 * lets the event loop run while it learns: a webhook that arrives during a content reload is
 * answered by the live model instead of waiting for the whole retrain.
 */
import path from 'node:path';
import type { Content } from '../../../src/content/model';
import { loadContent } from '../../../src/content/load';
import { buildBrain, buildBrainInTurns } from '../../../src/engine/brain';

const repo = path.resolve(__dirname, '..', '..', '..');
let content: Content;

beforeAll(async () => {
  const loaded = await loadContent(repo);
  if (!loaded.ok) throw new Error('sample content invalid');
  content = loaded.content;
});

test('training in turns gives the same model as training in one go', async () => {
  const inOneGo = buildBrain(content);
  const inTurns = await buildBrainInTurns(content);
  expect(inTurns.nlu.temperature).toBe(inOneGo.nlu.temperature);
  expect(inTurns.nlu.intents).toEqual(inOneGo.nlu.intents);
  const texts = content.intents.flatMap((i) => [...i.examples.id.slice(0, 3), ...i.examples.en.slice(0, 2)]);
  texts.push('tagihan saya kok dobel min??', 'wifi mati total dari pagi', 'halo', '');
  for (const text of texts) expect(inTurns.nlu.parse(text)).toEqual(inOneGo.nlu.parse(text));
});

test('the event loop gets a turn between training steps, not only at the end', async () => {
  let turns = 0;
  let counting = true;
  const tick = () => {
    turns++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  await buildBrainInTurns(content);
  counting = false;
  // Two calibration fits and the final one, ten epochs each, plus the feature chunks: a callback
  // queued behind the retrain ran dozens of times while it learned.
  expect(turns).toBeGreaterThanOrEqual(30);
});
