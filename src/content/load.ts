import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateContent, type ContentFile, type ValidateOptions, type ValidationResult } from './validate';

/** The two directories under the content root that hold content files. */
export const CONTENT_DIRS = ['intents', 'templates'] as const;

const YAML_FILE = /\.ya?ml$/;

/**
 * Reads every `*.yaml` / `*.yml` file directly inside `<root>/intents` and `<root>/templates`
 * (other files, such as a README, are ignored). A missing directory yields no files; the
 * validator then reports it as empty. Paths in the result are relative to `root`, with `/`.
 */
export async function readContentFiles(root: string): Promise<ContentFile[]> {
  const files: ContentFile[] = [];
  for (const dir of CONTENT_DIRS) {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(path.join(root, dir), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
        continue;
      throw err;
    }
    for (const entry of entries) {
      if (!entry.isFile() || !YAML_FILE.test(entry.name)) continue;
      try {
        const text = await readFile(path.join(root, dir, entry.name), 'utf8');
        files.push({ path: `${dir}/${entry.name}`, text });
      } catch (err) {
        // Deleted between readdir and readFile (an editor saving in several steps): skip it;
        // the watcher fires again once the file is back.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads and validates the content under `root`: the model, or every problem with its position. */
export async function loadContent(root: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  return validateContent(await readContentFiles(root), options);
}
