import { AppError } from '../domain/errors';
import { CSAT_MAX, CSAT_MIN, isCsatScore } from '../domain/ticket';

/** `VALIDATION_FAILED` unless `score` is an integer on the CSAT scale (both stores check the same way). */
export function checkCsatScore(score: number): void {
  if (!isCsatScore(score)) {
    throw new AppError('VALIDATION_FAILED', `score: must be an integer from ${CSAT_MIN} to ${CSAT_MAX}`, [
      { field: 'score', message: `must be an integer from ${CSAT_MIN} to ${CSAT_MAX}` },
    ]);
  }
}
