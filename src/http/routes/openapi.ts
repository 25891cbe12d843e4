import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router, type Express } from 'express';
import { parse } from 'yaml';

/** `openapi.yaml` at the repository root (from `src/http/routes` and from `dist/http/routes`). */
export const OPENAPI_FILE = path.resolve(__dirname, '..', '..', '..', 'openapi.yaml');

/** The OpenAPI document, read and parsed once (a broken file fails the start, not a request). */
export function loadOpenApi(file: string = OPENAPI_FILE): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** `GET /api/openapi.json`: the API description, public (it documents, it grants nothing). */
export function openApiRoutes(document: Record<string, unknown>): Router {
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(document);
  });
  return router;
}

/**
 * Every route registered on `app` as `METHOD /path` with `{param}` placeholders (OpenAPI style),
 * found by walking express' router stack (routers mounted with `app.use(router)`).
 */
export function registeredRoutes(app: Express): string[] {
  const out = new Set<string>();
  type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') out.add(`${method.toUpperCase()} ${p.replace(/:(\w+)/g, '{$1}')}`);
          }
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...out].sort();
}
