import { createHash } from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths censored in every log line. The code never logs message bodies, names or sender ids on
 * purpose; this list is the safety net for the day someone logs a whole object.
 */
export const REDACT_PATHS = [
  'text',
  '*.text',
  'senderId',
  '*.senderId',
  'customerName',
  '*.customerName',
  'phone',
  '*.phone',
  'token',
  '*.token',
  'password',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-hub-signature-256"]',
];

/** Creates the app logger: JSON lines, PII and secrets redacted. */
export function createLogger(options: { level: string; destination?: pino.DestinationStream } = { level: 'info' }): Logger {
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    },
    options.destination,
  );
}

/**
 * A short, stable pseudonym for a customer id, so logs can correlate one customer's lines without
 * containing their phone number or chat id.
 */
export function pseudonym(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}
