import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildJsonSchemas } from '../../../src/content/json-schema';

const SCHEMAS_DIR = path.resolve(__dirname, '../../../schemas');

describe('committed JSON Schemas', () => {
  it.each(Object.entries(buildJsonSchemas()))(
    'schemas/%s equals the generated one (run `npm run content:schema`)',
    (name, text) => {
      expect(readFileSync(path.join(SCHEMAS_DIR, name), 'utf8')).toBe(text);
    },
  );

  it('carries titles and descriptions for editors, and forbids unknown keys', () => {
    const intent = JSON.parse(buildJsonSchemas()['intent.schema.json']);
    expect(intent.title).toBe('MAJU JAYA intent');
    expect(intent.additionalProperties).toBe(false);
    expect(intent.required).toEqual(['id', 'category', 'label', 'examples']);
    expect(intent.properties.examples.properties.id.minItems).toBe(15);
    expect(intent.properties.label.properties.en.maxLength).toBe(20);
    expect(intent.properties.category.description).toMatch(/routing\.yaml/);
  });
});
