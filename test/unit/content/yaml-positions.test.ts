import { z } from 'zod';
import {
  parseYaml,
  pathToString,
  positionOfPath,
  problemsFromIssues,
  syntaxProblems,
} from '../../../src/content/yaml-positions';

const SOURCE = [
  '# comment',
  'name: x',
  'nested:',
  '  list:',
  '    - 1',
  '    - two',
  '  empty:',
  'extra: true',
  '',
].join('\n');

describe('yaml-positions', () => {
  const parsed = parseYaml('f.yaml', SOURCE);

  it('points at existing nodes, at the key of an empty value, and at the parent of a missing key', () => {
    expect(positionOfPath(parsed, ['name'])).toEqual({ line: 2, col: 7, exact: true });
    expect(positionOfPath(parsed, ['nested', 'list', 1])).toEqual({ line: 6, col: 7, exact: true });
    expect(positionOfPath(parsed, ['nested', 'empty'])).toEqual({ line: 7, col: 3, exact: true });
    expect(positionOfPath(parsed, ['nested', 'missing'])).toEqual({ line: 4, col: 3, exact: false });
  });

  it('maps zod issues: wrong type at the value, missing key at the parent, unknown key at the key', () => {
    const schema = z.strictObject({
      name: z.string(),
      nested: z.strictObject({ list: z.array(z.number()), empty: z.string().nullable(), needed: z.string() }),
    });
    const result = schema.safeParse(parsed.doc.toJS());
    expect(result.success).toBe(false);
    const problems = problemsFromIssues(parsed, result.error!.issues).map((p) => `${p.line}:${p.col} ${p.message}`);
    expect(problems.sort()).toEqual([
      '4:3 nested: missing required key "needed"',
      '6:7 nested.list[1]: Invalid input: expected number, received string',
      '8:1 unknown key "extra"',
    ]);
  });

  it('reports YAML syntax errors with the parser position and no code frame', () => {
    const broken = parseYaml('b.yaml', 'a: 1\na: 2\n');
    expect(syntaxProblems(broken)).toEqual([
      { file: 'b.yaml', line: 2, col: 1, message: 'YAML syntax error: Map keys must be unique' },
    ]);
  });

  it('formats paths the way people read them', () => {
    expect(pathToString(['examples', 'en', 3])).toBe('examples.en[3]');
    expect(pathToString([])).toBe('');
  });
});
