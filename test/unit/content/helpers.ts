import path from 'node:path';
import { readContentFiles } from '../../../src/content/load';
import type { ContentProblem } from '../../../src/content/problem';
import { validateContent, type ContentFile, type ValidationResult } from '../../../src/content/validate';

/** Fixture trees for the content tests. */
export const FIXTURES = path.resolve(__dirname, '../../fixtures/content');

/** The files of one fixture tree, read the way the app reads them. */
export function fixtureFiles(name = 'valid'): Promise<ContentFile[]> {
  return readContentFiles(path.join(FIXTURES, name));
}

/** Replaces the first occurrence of `from` in one file; fails loudly if the fixture changed. */
export function edit(files: ContentFile[], file: string, from: string, to: string): ContentFile[] {
  const target = files.find((f) => f.path === file);
  if (!target) throw new Error(`fixture has no ${file}`);
  if (!target.text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  return files.map((f) => (f === target ? { path: f.path, text: f.text.replace(from, to) } : f));
}

/** Adds or replaces a whole file. */
export function put(files: ContentFile[], file: string, text: string): ContentFile[] {
  return [...files.filter((f) => f.path !== file), { path: file, text }];
}

export function remove(files: ContentFile[], file: string): ContentFile[] {
  if (!files.some((f) => f.path === file)) throw new Error(`fixture has no ${file}`);
  return files.filter((f) => f.path !== file);
}

/** Asserts the validation failed and returns its errors. */
export function errorsOf(result: ValidationResult): ContentProblem[] {
  if (result.ok) throw new Error('expected validation to fail, but it passed');
  return result.errors;
}

/** Validates and returns the errors as `file:line:col message` lines. */
export function errorLines(files: ContentFile[]): string[] {
  return errorsOf(validateContent(files)).map((e) => `${e.file}:${e.line}:${e.col} ${e.message}`);
}

/** Validates and returns only the `file:line:col` of each error. */
export function errorPositions(files: ContentFile[]): string[] {
  return errorsOf(validateContent(files)).map((e) => `${e.file}:${e.line}:${e.col}`);
}

/** A valid intent file with `n` generated examples per locale (unique per `id`). */
export function intentYaml(options: {
  id: string;
  category: string;
  answer?: string;
  action?: string;
  idCount?: number;
  enCount?: number;
}): string {
  const lines = [`id: ${options.id}`, `category: ${options.category}`];
  if (options.action) lines.push(`action: ${options.action}`);
  if (options.answer) lines.push(`answer: ${options.answer}`);
  lines.push('label: { id: Topik, en: Topic }', 'examples:', '  id:');
  for (let i = 0; i < (options.idCount ?? 15); i++) lines.push(`    - contoh ${options.id} nomor ${i}`);
  lines.push('  en:');
  for (let i = 0; i < (options.enCount ?? 8); i++) lines.push(`    - example ${options.id} number ${i}`);
  return `${lines.join('\n')}\n`;
}
