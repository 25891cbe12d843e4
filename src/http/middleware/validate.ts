import type { z } from 'zod';
import { AppError } from '../../domain/errors';

/**
 * Parses `value` with `schema` or throws `VALIDATION_FAILED` listing every problem by field, so a
 * client fixes its request in one go. Messages come from the schema, never from the input.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  throw new AppError(
    'VALIDATION_FAILED',
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    problems,
  );
}
