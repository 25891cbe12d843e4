/**
 * One thing wrong (or suspicious) in the content files, pointing at the offending YAML node so an
 * editor or terminal can jump there. `file` is relative to the content root
 * (`intents/store_hours.yaml`); `line` and `col` are 1-based. Problems that belong to no single
 * node (a missing file, an empty directory) point at 1:1 of that file or directory.
 */
export interface ContentProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** `intents/store_hours.yaml:12:5 message`: the format editors and terminals recognise. */
export function formatProblem(p: ContentProblem): string {
  return `${p.file}:${p.line}:${p.col} ${p.message}`;
}

/** Orders problems by file, then position, then message, so output is stable. */
export function compareProblems(a: ContentProblem, b: ContentProblem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
