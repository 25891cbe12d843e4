import { DatasetError, parseJsonl } from '../../../src/nlu/dataset';

describe('parseJsonl', () => {
  test('reads one labelled text per line, skipping blank lines and extra keys', () => {
    const rows = parseJsonl(
      '{"text":"hi","intent":"greet"}\n\n{"text":" cek saldo ","intent":"balance","id":7}\r\n',
      'x.jsonl',
    );
    expect(rows).toEqual([
      { text: 'hi', intent: 'greet' },
      { text: 'cek saldo', intent: 'balance' },
    ]);
  });

  test('reports every bad line with its file and line number at once', () => {
    const content = ['{"text":"ok","intent":"a"}', '{"text":"no intent"}', 'not json', '{"text":"","intent":"a"}'].join(
      '\n',
    );
    let error: unknown;
    try {
      parseJsonl(content, 'data/train.jsonl');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatasetError);
    const { problems } = error as DatasetError;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^data\/train\.jsonl:2 intent: /);
    expect(problems[1]).toBe('data/train.jsonl:3 not a JSON object');
    expect(problems[2]).toMatch(/^data\/train\.jsonl:4 text: text is empty/);
  });

  test('caps the list of problems of a badly broken file and says how many more', () => {
    const content = Array.from({ length: 50 }, () => 'oops').join('\n');
    expect(() => parseJsonl(content, 'big.jsonl')).toThrow(/… and 30 more/);
  });

  test('an empty file is an error, not an empty data set', () => {
    expect(() => parseJsonl('\n\n', 'empty.jsonl')).toThrow(/empty\.jsonl has no examples/);
  });
});
