import { z } from 'zod';
import { intentFileSchema, routingFileSchema, templatesFileSchema } from './schema';

/**
 * The JSON Schemas editors use to check content files while typing (via the
 * `# yaml-language-server: $schema=…` line at the top of each file). Generated from the zod
 * schemas in `schema.ts`, so both always agree; `npm run content:schema` writes them to
 * `schemas/`, and a test fails when the committed files are stale.
 */
export const JSON_SCHEMA_FILES = {
  'intent.schema.json': intentFileSchema,
  'templates.schema.json': templatesFileSchema,
  'routing.schema.json': routingFileSchema,
} as const;

/**
 * File name → pretty-printed JSON text (2-space indent, trailing newline), stable across runs.
 * Draft-07 because that is what YAML editors support best; `io: 'input'` describes what people
 * write (optional keys stay optional).
 */
export function buildJsonSchemas(): Record<keyof typeof JSON_SCHEMA_FILES, string> {
  const out = {} as Record<keyof typeof JSON_SCHEMA_FILES, string>;
  for (const [name, schema] of Object.entries(JSON_SCHEMA_FILES) as [keyof typeof JSON_SCHEMA_FILES, z.ZodType][]) {
    const json = z.toJSONSchema(schema, { target: 'draft-07', io: 'input', unrepresentable: 'any' });
    out[name] = `${JSON.stringify(json, null, 2)}\n`;
  }
  return out;
}
