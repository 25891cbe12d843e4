import { scanPlaceholders } from '../../../src/content/template-variables';

describe('scanPlaceholders', () => {
  it('finds variables with or without inner whitespace, in order, with offsets', () => {
    expect(scanPlaceholders('Hi {{name}}, {{  team_where }}!')).toEqual([
      { kind: 'variable', name: 'name', raw: '{{name}}', index: 3 },
      { kind: 'variable', name: 'team_where', raw: '{{  team_where }}', index: 13 },
    ]);
  });

  it('flags an unclosed {{ and a placeholder that is not a variable name', () => {
    expect(scanPlaceholders('{{ Team }} then {{ oops').map((t) => [t.kind, t.index])).toEqual([
      ['invalid', 0],
      ['unclosed', 16],
    ]);
    expect(scanPlaceholders('no placeholders, just } and { braces')).toEqual([]);
  });
});
