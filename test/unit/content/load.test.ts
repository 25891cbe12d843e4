import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadContent, readContentFiles } from '../../../src/content/load';
import { formatProblem } from '../../../src/content/problem';
import { FIXTURES } from './helpers';

describe('loadContent', () => {
  it('reports every problem in every file at once, sorted by file and position', async () => {
    const result = await loadContent(path.join(FIXTURES, 'many-errors'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.file}:${e.line}:${e.col}`)).toEqual([
      'intents/broken_yaml.yaml:4:1', // YAML syntax error
      'intents/greeting.yaml:2:5', // id does not match the file name
      'intents/greeting.yaml:9:7', // example shared with store_hours
      'intents/greeting.yaml:24:5', // too few English examples
      'intents/routing.yaml:4:13', // unknown time zone
      'intents/routing.yaml:30:11', // unknown team
      'intents/store_hours.yaml:4:33', // label too long
      'intents/store_hours.yaml:7:7', // example shared with greeting
      'templates/:1:1', // missing system template
      'templates/answers.yaml:4:22', // {{ticket_number}} in an answer template
    ]);
    expect(formatProblem(result.errors[0]!)).toMatch(/^intents\/broken_yaml\.yaml:4:1 YAML syntax error: Flow map/);
    expect(result.errors[8]!.message).toContain('"verify_retry"');
  });

  it('loads the valid fixture', async () => {
    const result = await loadContent(path.join(FIXTURES, 'valid'), { now: 42 });
    expect(result.ok && result.content.loadedAt).toBe(42);
  });

  it('treats directories without YAML files, and a missing root, as empty', async () => {
    const expected = ['intents/:1:1', 'intents/routing.yaml:1:1', 'templates/:1:1'];
    for (const root of [path.join(FIXTURES, 'empty'), path.join(FIXTURES, 'does-not-exist')]) {
      const result = await loadContent(root);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.map((e) => `${e.file}:${e.line}:${e.col}`)).toEqual(expected);
    }
  });
});

describe('readContentFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'content-read-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads *.yaml and *.yml directly inside intents/ and templates/, sorted, ignoring other files', async () => {
    await mkdir(path.join(dir, 'intents', 'nested'), { recursive: true });
    await mkdir(path.join(dir, 'templates'));
    await writeFile(path.join(dir, 'intents', 'b.yml'), 'id: b\n');
    await writeFile(path.join(dir, 'intents', 'a.yaml'), 'id: a\n');
    await writeFile(path.join(dir, 'intents', 'README.md'), '# not content\n');
    await writeFile(path.join(dir, 'intents', 'nested', 'c.yaml'), 'id: c\n');
    await writeFile(path.join(dir, 'templates', 'x.yaml'), 'templates: {}\n');
    await writeFile(path.join(dir, 'notes.yaml'), 'ignored: true\n');
    expect(await readContentFiles(dir)).toEqual([
      { path: 'intents/a.yaml', text: 'id: a\n' },
      { path: 'intents/b.yml', text: 'id: b\n' },
      { path: 'templates/x.yaml', text: 'templates: {}\n' },
    ]);
  });
});
