import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * `npm run nlu:eval` end to end: the real script in a child process on a tiny English data set
 * (3 intents + out-of-scope, in test/fixtures/nlu-eval), as content staff and CI run it.
 */
const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/nlu-eval');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

async function evaluate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, ['scripts/nlu-eval.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const fixture = (name: string) => path.join(FIXTURES, `${name}.jsonl`);
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nlu-eval-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('trains, tunes on dev, evaluates on test and writes the JSON figures', async () => {
  const json = path.join(tmp, 'out.json');
  const args = ['--train', fixture('train'), '--dev', fixture('dev'), '--test', fixture('test')];
  const { code, stdout } = await evaluate([...args, '--locale', 'en', '--oos-label', 'oos', '--json', json]);
  expect(code).toBe(0);
  expect(stdout).toMatch(/accuracy \d+\.\d\d%\s+macro-F1 \d+\.\d\d%/);
  expect(stdout).toMatch(/in-scope accuracy .* OOS recall .* OOS precision/);
  expect(stdout).toMatch(/confidence histogram/);
  expect(stdout).toMatch(/classify p50 \d+ µs, p99 \d+ µs/);

  const result = JSON.parse(fs.readFileSync(json, 'utf8'));
  for (const key of [
    'accuracy',
    'macroF1',
    'inScopeAccuracy',
    'oosRecall',
    'oosPrecision',
    'threshold',
    'trainSeconds',
  ]) {
    expect(typeof result[key]).toBe('number');
  }
  expect(result.examples).toEqual({ train: 36, dev: 12, test: 12 });
  expect(result.latencyMicros.p99).toBeGreaterThanOrEqual(result.latencyMicros.p50);
  // Three easy in-scope intents: the pipeline must get them nearly all right.
  expect(result.inScopeAccuracy).toBeGreaterThanOrEqual(8 / 9);
  expect(result.threshold).toBeGreaterThanOrEqual(0);
  expect(result.ece.dev).toBeGreaterThanOrEqual(0);

  // Deterministic: the same data and seed give the same figures.
  const again = path.join(tmp, 'again.json');
  await evaluate([...args, '--locale', 'en', '--oos-label', 'oos', '--json', again]);
  const second = JSON.parse(fs.readFileSync(again, 'utf8'));
  for (const key of ['accuracy', 'macroF1', 'oosRecall', 'threshold', 'temperature']) {
    expect(second[key]).toBe(result[key]);
  }
}, 60_000);

test('without dev, calibration runs by cross-validation on train; --ablation compares pipelines', async () => {
  const { code, stdout } = await evaluate(['--train', fixture('train'), '--test', fixture('test'), '--ablation']);
  expect(code).toBe(0);
  expect(stdout).toMatch(/locale: detected per text/);
  expect(stdout).toMatch(/calibration: temperature \d/);
  expect(stdout).toMatch(/no slang lexicon/);
  expect(stdout).toMatch(/no stemming/);
}, 60_000);

test('--refit trains the final model on train + dev, after tuning on dev', async () => {
  // The test texts are made-up words that only dev has: a model trained on train alone has never
  // seen them; the refitted one has.
  const rows = (pairs: [string, string][]) =>
    pairs.map(([text, intent]) => `${JSON.stringify({ text, intent })}\n`).join('');
  const files = {
    train: rows([
      ['hello there', 'greet'],
      ['hi friend', 'greet'],
      ['good morning to you', 'greet'],
      ['goodbye now', 'bye'],
      ['see you later', 'bye'],
      ['farewell my friend', 'bye'],
    ]),
    dev: rows([
      ['zorblax quimp', 'greet'],
      ['hello again', 'greet'],
      ['vrendok spluff', 'bye'],
      ['bye for now', 'bye'],
    ]),
    test: rows([
      ['zorblax quimp', 'greet'],
      ['vrendok spluff', 'bye'],
    ]),
  };
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(tmp, `refit-${name}.jsonl`), content);
  const file = (name: string) => path.join(tmp, `refit-${name}.jsonl`);
  const args = ['--train', file('train'), '--dev', file('dev'), '--test', file('test'), '--locale', 'en'];

  const plain = await evaluate([...args, '--json', path.join(tmp, 'plain.json')]);
  const refit = await evaluate([...args, '--refit', '--json', path.join(tmp, 'refit.json')]);
  expect([plain.code, refit.code]).toEqual([0, 0]);
  expect(refit.stdout).toMatch(/refit: final model trained on train \+ dev \(10\) in \d+\.\d\d s/);
  expect(plain.stdout).not.toMatch(/refit:/);
  const before = JSON.parse(fs.readFileSync(path.join(tmp, 'plain.json'), 'utf8'));
  const after = JSON.parse(fs.readFileSync(path.join(tmp, 'refit.json'), 'utf8'));
  expect(after.accuracy).toBe(1);
  expect(before.accuracy).toBeLessThan(1);
  expect(before.refitSeconds).toBeNull();
  expect(typeof after.refitSeconds).toBe('number');
  // The temperature is the one fitted on dev by the first model, not refitted.
  expect(after.temperature).toBe(before.temperature);
  expect(after.examples).toEqual({ train: 6, dev: 4, test: 2 });
}, 60_000);

test('usage errors exit 2 with the reason and the usage', async () => {
  const missing = await evaluate(['--train', fixture('train')]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/--test <file.jsonl> is required/);
  expect(missing.stderr).toMatch(/usage: npm run nlu:eval/);

  const unknown = await evaluate(['--train', fixture('train'), '--test', fixture('test'), '--frobnicate']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/frobnicate/);

  const noDev = await evaluate(['--train', fixture('train'), '--test', fixture('test'), '--oos-label', 'oos']);
  expect(noDev.code).toBe(2);
  expect(noDev.stderr).toMatch(/--oos-label needs --dev/);

  const refitNoDev = await evaluate(['--train', fixture('train'), '--test', fixture('test'), '--refit']);
  expect(refitNoDev.code).toBe(2);
  expect(refitNoDev.stderr).toMatch(/--refit needs --dev/);

  const notThere = await evaluate(['--train', path.join(tmp, 'nope.jsonl'), '--test', fixture('test')]);
  expect(notThere.code).toBe(2);
  expect(notThere.stderr).toMatch(/cannot read .*nope\.jsonl: ENOENT/);
}, 60_000);

test('a broken data file names the file and line, and exits 1', async () => {
  const broken = path.join(tmp, 'broken.jsonl');
  fs.writeFileSync(broken, '{"text":"hello","intent":"greet"}\n{"text":"hi"\n');
  const { code, stderr } = await evaluate(['--train', broken, '--test', fixture('test')]);
  expect(code).toBe(1);
  expect(stderr).toMatch(/broken\.jsonl:2 not a JSON object/);
}, 60_000);
