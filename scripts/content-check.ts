/**
 * `npm run content:check [-- --root <dir>]`: loads and validates the content under `<dir>`
 * (default: the repository root), prints every error and warning as `file:line:col message`,
 * then a summary line. Exit code 1 when there are errors, 2 on bad arguments.
 */
import path from 'node:path';
import { loadContent } from '../src/content/load';
import { formatProblem } from '../src/content/problem';
import { formatSummary, summarizeContent } from '../src/content/summary';

export const DEFAULT_ROOT = path.resolve(__dirname, '..');

/** Runs the check; `write` receives whole lines. Returns the process exit code. */
export async function runContentCheck(argv: readonly string[], write: (line: string) => void): Promise<number> {
  let root = DEFAULT_ROOT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--root' && argv[i + 1] !== undefined) root = path.resolve(argv[++i]!);
    else if (arg?.startsWith('--root=')) root = path.resolve(arg.slice('--root='.length));
    else {
      write(`unknown argument: ${arg}`);
      write('usage: npm run content:check [-- --root <dir>]');
      return 2;
    }
  }

  write(`Checking content in ${root}`);
  const result = await loadContent(root);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (!result.ok) {
    write('');
    for (const e of result.errors) write(`${formatProblem(e)}`);
    for (const w of result.warnings) write(`${formatProblem({ ...w, message: `warning: ${w.message}` })}`);
    write('');
    write(`FAILED: ${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')}`);
    return 1;
  }
  if (result.warnings.length) {
    write('');
    for (const w of result.warnings) write(`${formatProblem({ ...w, message: `warning: ${w.message}` })}`);
  }
  write('');
  write(
    `OK: ${formatSummary(summarizeContent(result.content))}; ${plural(result.warnings.length, 'warning')} (version ${result.content.version})`,
  );
  return 0;
}

if (require.main === module) {
  runContentCheck(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`content check crashed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
