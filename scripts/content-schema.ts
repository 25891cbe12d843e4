/**
 * `npm run content:schema`: writes `schemas/*.schema.json` from the zod schemas in
 * `src/content/schema.ts`. Commit the result; `test/unit/content/json-schema.test.ts` fails when
 * the committed files differ from freshly generated ones.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildJsonSchemas } from '../src/content/json-schema';

const outDir = path.resolve(__dirname, '..', 'schemas');
mkdirSync(outDir, { recursive: true });
for (const [name, text] of Object.entries(buildJsonSchemas())) {
  writeFileSync(path.join(outDir, name), text);
  process.stdout.write(`wrote schemas/${name}\n`);
}
