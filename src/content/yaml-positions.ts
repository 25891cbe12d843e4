import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { ContentProblem } from './problem';

/**
 * Turning "something is wrong at `examples.en[3]`" into "intents/x.yaml:14:7". Pure: works on a
 * parsed document and its `LineCounter`; no file access.
 */

/** One YAML file parsed with position tracking. */
export interface ParsedYaml {
  /** Path relative to the content root, used in problems. */
  file: string;
  text: string;
  doc: Document;
  lineCounter: LineCounter;
}

export type YamlPath = readonly (string | number)[];

/** Parses `text` keeping positions; duplicate keys are errors (`uniqueKeys`). Never throws. */
export function parseYaml(file: string, text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  return { file, text, doc, lineCounter };
}

/** YAML syntax errors (including duplicate keys) with the position the parser reports. */
export function syntaxProblems(parsed: ParsedYaml): ContentProblem[] {
  return parsed.doc.errors.map((err) => {
    const pos = err.linePos?.[0] ?? positionAt(parsed, err.pos[0]);
    // The pretty message repeats the position and appends a code frame; keep the first sentence.
    const first = err.message.split('\n')[0] ?? err.message;
    const message = first.replace(/ at line \d+, column \d+:?$/, '');
    return { file: parsed.file, line: pos.line, col: pos.col, message: `YAML syntax error: ${message}` };
  });
}

/** 1-based line and column of a character offset. */
export function positionAt(parsed: ParsedYaml, offset: number): { line: number; col: number } {
  return parsed.lineCounter.linePos(Math.max(0, Math.min(offset, parsed.text.length)));
}

/** `examples.en[3]`, `categories.billing.sla`: the path as people read it. */
export function pathToString(path: YamlPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/**
 * The node at `path`, or the deepest existing ancestor (`exact: false`) when the path does not
 * exist (a missing key points at its parent mapping).
 */
export function nodeAtPath(parsed: ParsedYaml, path: YamlPath): { node: Node | null; exact: boolean } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? parsed.doc.contents : parsed.doc.getIn(path.slice(0, depth), true);
    if (isNode(node)) return { node, exact: depth === path.length };
  }
  return { node: null, exact: false };
}

/** The key node of `key` in the mapping at `mapPath`, if both exist. */
export function keyNode(parsed: ParsedYaml, mapPath: YamlPath, key: string | number): Node | null {
  const map = mapPath.length === 0 ? parsed.doc.contents : parsed.doc.getIn(mapPath, true);
  if (!isMap(map)) return null;
  for (const pair of map.items) {
    const k = pair.key;
    const name = isScalar(k) ? k.value : k;
    if (isNode(k) && String(name) === String(key)) return k;
  }
  return null;
}

function nodeStart(parsed: ParsedYaml, node: Node | null): { line: number; col: number } {
  if (!node?.range) return { line: 1, col: 1 };
  return positionAt(parsed, node.range[0]);
}

/**
 * Where to point for `path`: the value node; for an empty value (`en:` with nothing after it),
 * its key; for a missing key, the parent mapping.
 */
export function positionOfPath(parsed: ParsedYaml, path: YamlPath): { line: number; col: number; exact: boolean } {
  const { node, exact } = nodeAtPath(parsed, path);
  if (exact && isScalar(node) && node.value === null && path.length > 0) {
    const key = keyNode(parsed, path.slice(0, -1), path[path.length - 1]!);
    if (key) return { ...nodeStart(parsed, key), exact };
  }
  return { ...nodeStart(parsed, node), exact };
}

/** A problem pointing at the node at `path` (or its closest existing ancestor). */
export function problemAtPath(parsed: ParsedYaml, path: YamlPath, message: string): ContentProblem {
  const pos = positionOfPath(parsed, path);
  return { file: parsed.file, line: pos.line, col: pos.col, message };
}

/** A problem pointing at the key `key` of the mapping at `mapPath` (falls back to the mapping). */
export function problemAtKey(
  parsed: ParsedYaml,
  mapPath: YamlPath,
  key: string | number,
  message: string,
): ContentProblem {
  const node = keyNode(parsed, mapPath, key);
  const pos = node ? nodeStart(parsed, node) : positionOfPath(parsed, mapPath);
  return { file: parsed.file, line: pos.line, col: pos.col, message };
}

/** A problem at a character offset of the file (e.g. one `{{` inside a string). */
export function problemAtOffset(parsed: ParsedYaml, offset: number, message: string): ContentProblem {
  const pos = positionAt(parsed, offset);
  return { file: parsed.file, line: pos.line, col: pos.col, message };
}

/** The `[start, end)` source range of the node at `path`, when it exists. */
export function rangeOfPath(parsed: ParsedYaml, path: YamlPath): [number, number] | null {
  const { node, exact } = nodeAtPath(parsed, path);
  if (!exact || !node?.range) return null;
  return [node.range[0], node.range[1]];
}

function toYamlPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((seg) => (typeof seg === 'number' ? seg : String(seg)));
}

function withPath(path: YamlPath, message: string): string {
  return path.length ? `${pathToString(path)}: ${message}` : message;
}

/**
 * Maps zod issues to positioned problems: the offending node; for missing keys the parent
 * mapping; for unknown keys and bad record keys the key itself.
 */
export function problemsFromIssues(parsed: ParsedYaml, issues: readonly z.core.$ZodIssue[]): ContentProblem[] {
  const out: ContentProblem[] = [];
  for (const issue of issues) {
    const path = toYamlPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(problemAtKey(parsed, path, key, withPath(path, `unknown key "${key}"`)));
      continue;
    }
    if (issue.code === 'invalid_key' && path.length > 0) {
      const key = path[path.length - 1]!;
      const parent = path.slice(0, -1);
      const inner = issue.issues.map((i) => i.message).join('; ') || issue.message;
      out.push(problemAtKey(parsed, parent, key, withPath(parent, `"${key}": ${inner}`)));
      continue;
    }
    const pos = positionOfPath(parsed, path);
    let message = issue.message;
    if (!pos.exact && issue.code === 'invalid_type' && path.length > 0) {
      // The key is absent: point at the parent and say so plainly.
      const key = path[path.length - 1]!;
      const parent = path.slice(0, -1);
      if (message.startsWith('Invalid input')) message = `missing required key "${key}"`;
      out.push({ file: parsed.file, line: pos.line, col: pos.col, message: withPath(parent, message) });
      continue;
    }
    out.push({ file: parsed.file, line: pos.line, col: pos.col, message: withPath(path, message) });
  }
  return out;
}
