/**
 * `npm run content:check` as content staff run it before publishing: validation, then the
 * cross-validation report, then the regression gate against `intents/nlu-baseline.json`.
 * Runs in-process on a copy of the valid fixture content (small, so a 3-fold run takes ~0.3 s)
 * with one sentence planted under the wrong intent, so accuracy is below 100 %.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASELINE_FILE, runContentCheck } from '../../scripts/content-check';

jest.setTimeout(30_000);

const FIXTURE = path.resolve(__dirname, '../fixtures/content/valid');
const PLANTED = 'jam buka toko hari sabtu sampai jam berapa';
let root: string;
let baselinePath: string;

async function run(...args: string[]): Promise<{ code: number; lines: string[]; text: string }> {
  const lines: string[] = [];
  const code = await runContentCheck(['--root', root, ...args], (line) => lines.push(line), {
    now: () => new Date('2026-03-04T05:06:07Z'),
  });
  return { code, lines, text: lines.join('\n') };
}

function writeBaseline(fields: Record<string, unknown>): void {
  const baseline = {
    folds: 3,
    seed: 1,
    accuracy: 0.5,
    macroF1: 0.5,
    tolerance: 0.01,
    updated: '2026-01-01',
    note: 'test',
  };
  writeFileSync(baselinePath, JSON.stringify({ ...baseline, ...fields }));
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'mj-gate-'));
  cpSync(FIXTURE, root, { recursive: true });
  const intent = path.join(root, 'intents', 'bill_mismatch.yaml');
  const text = readFileSync(intent, 'utf8');
  // An opening-hours question filed under billing: the report must point at it.
  writeFileSync(
    intent,
    text.replace(
      '    - tagihan saya tidak sesuai invoice\n',
      `    - tagihan saya tidak sesuai invoice\n    - ${PLANTED}\n`,
    ),
  );
  baselinePath = path.join(root, BASELINE_FILE);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('npm run content:check with cross-validation', () => {
  it('without a baseline: prints the report, passes, and says how to create the baseline', async () => {
    const { code, lines, text } = await run('--folds', '3');
    expect(code).toBe(0);
    expect(lines).toContain('Cross-validation: 3 folds, seed 1, 70 examples, 3 intents');
    expect(text).toMatch(/^ {2}bill_mismatch\s+\d+\.\d%/m);
    // The planted sentence is listed with its position, under the pair it confuses.
    expect(text).toContain(`intents/bill_mismatch.yaml:7:7 bill_mismatch [id] "${PLANTED}" → store_hours`);
    expect(text).toMatch(/bill_mismatch ↔ store_hours|store_hours ↔ bill_mismatch/);
    expect(lines[lines.length - 1]).toBe(
      'warning: no intents/nlu-baseline.json, so the regression gate is off. Create it from the current content with npm run content:check -- --update-baseline',
    );
  });

  it('fails with exit code 1 when accuracy is below the baseline, naming the baseline', async () => {
    writeBaseline({ accuracy: 1, macroF1: 1 });
    const { code, lines } = await run();
    expect(code).toBe(1);
    expect(lines).toContain('Cross-validation: 3 folds, seed 1, 70 examples, 3 intents'); // folds from the baseline
    expect(lines[lines.length - 1]).toMatch(
      /^regression gate FAILED: accuracy \d+\.\d\d% is below 99\.00% \(baseline 100\.00% − tolerance 1\.00% in intents\/nlu-baseline\.json, updated 2026-01-01\)/,
    );
  });

  it('passes with exit code 0 when accuracy is at or above the baseline', async () => {
    writeBaseline({ accuracy: 0.9 });
    const { code, lines } = await run();
    expect(code).toBe(0);
    expect(lines[lines.length - 1]).toMatch(/^regression gate passed: accuracy \d+\.\d\d% ≥ 89\.00% /);
  });

  it('does not compare a run with other folds than the baseline', async () => {
    writeBaseline({ accuracy: 1, macroF1: 1 });
    const { code, lines } = await run('--folds', '2');
    expect(code).toBe(0);
    expect(lines[lines.length - 1]).toMatch(/^regression gate not applied: this run used 2 folds/);
  });

  it('--update-baseline writes the current figures and prints old → new', async () => {
    writeBaseline({ accuracy: 0.5, macroF1: 0.4, tolerance: 0.02, note: 'keep me' });
    const { code, lines } = await run('--update-baseline');
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(baselinePath, 'utf8'));
    expect(written).toEqual({
      folds: 3,
      seed: 1,
      accuracy: expect.any(Number),
      macroF1: expect.any(Number),
      tolerance: 0.02,
      updated: '2026-03-04',
      note: 'keep me',
    });
    expect(written.accuracy).toBeGreaterThan(0.9);
    expect(written.accuracy).toBeLessThan(1);
    expect(lines).toContain('Baseline updated in intents/nlu-baseline.json:');
    expect(lines).toContain('  old: accuracy 50.00%, macro-F1 40.00% (3 folds, seed 1, 2026-01-01)');
    expect(lines.find((l) => l.startsWith('  new: '))).toMatch(
      /^ {2}new: accuracy \d+\.\d\d%, macro-F1 \d+\.\d\d% \(3 folds, seed 1, 2026-03-04\)$/,
    );
    // And the gate now passes against what was just written.
    expect((await run()).code).toBe(0);
  });

  it('--update-baseline creates a missing baseline with 5 folds by default', async () => {
    const { code, lines } = await run('--update-baseline');
    expect(code).toBe(0);
    expect(lines).toContain('  old: none');
    expect(JSON.parse(readFileSync(baselinePath, 'utf8'))).toMatchObject({ folds: 5, seed: 1, tolerance: 0.01 });
  });

  it('a baseline that is not JSON is a clear error naming the file', async () => {
    writeFileSync(baselinePath, '{ "folds": 5, accuracy: 0.9 }');
    const { code, lines } = await run();
    expect(code).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^FAILED: intents\/nlu-baseline\.json: not valid JSON: /));
  });

  it('a baseline with wrong fields lists every problem', async () => {
    writeBaseline({ accuracy: 1.5, tolerance: 0.3, updated: 'last week', extra: true });
    const { code, lines } = await run();
    expect(code).toBe(1);
    const line = lines.find((l) => l.startsWith('FAILED: '));
    expect(line).toMatch(/^FAILED: intents\/nlu-baseline\.json: invalid baseline: /);
    for (const field of ['accuracy', 'tolerance', 'updated', 'extra']) expect(line).toContain(field);
  });

  it('--no-cv validates only', async () => {
    writeBaseline({ accuracy: 1 });
    const { code, lines } = await run('--no-cv');
    expect(code).toBe(0);
    expect(lines[lines.length - 1]).toMatch(/^OK: 3 intents \(46 id \/ 24 en examples\)/);
    expect(lines.some((l) => l.startsWith('Cross-validation'))).toBe(false);
  });

  it('rejects bad option combinations and values with exit code 2', async () => {
    for (const args of [['--folds', '1'], ['--folds', 'x'], ['--folds'], ['--no-cv', '--update-baseline']]) {
      const { code, lines } = await run(...args);
      expect(code).toBe(2);
      expect(lines[lines.length - 1]).toMatch(/^usage: npm run content:check/);
    }
    expect(existsSync(baselinePath)).toBe(false);
  });
});
