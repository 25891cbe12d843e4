import path from 'node:path';
import { runContentCheck } from '../../../scripts/content-check';
import { FIXTURES } from './helpers';

async function run(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runContentCheck(args, (line) => lines.push(line));
  return { code, lines };
}

describe('npm run content:check', () => {
  it('prints a summary and exits 0 on valid content (--no-cv: validation only)', async () => {
    const { code, lines } = await run(['--root', path.join(FIXTURES, 'valid'), '--no-cv']);
    expect(code).toBe(0);
    expect(lines[lines.length - 1]).toMatch(
      /^OK: 3 intents \(45 id \/ 24 en examples\), 21 templates, 3 categories; 0 warnings \(version [0-9a-f]{12}\)$/,
    );
  });

  it('prints every error as file:line:col message and exits 1', async () => {
    const { code, lines } = await run([`--root=${path.join(FIXTURES, 'many-errors')}`]);
    expect(code).toBe(1);
    const problems = lines.filter((l) => /^[\w/.-]+:\d+:\d+ /.test(l));
    expect(problems).toHaveLength(10);
    expect(problems).toContain('intents/routing.yaml:30:11 unknown team "finance" (teams: frontline, billing)');
    expect(lines[lines.length - 1]).toBe('FAILED: 10 errors, 0 warnings');
  });

  it('rejects unknown arguments with exit code 2', async () => {
    const { code, lines } = await run(['--rooot', 'x']);
    expect(code).toBe(2);
    expect(lines[0]).toBe('unknown argument: --rooot');
    expect(lines[1]).toBe('usage: npm run content:check [-- --root <dir>] [--folds N] [--no-cv] [--update-baseline]');
  });
});
