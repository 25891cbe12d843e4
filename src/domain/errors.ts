/**
 * Errors by cause, with stable codes. Codes are part of the API: clients and tests match on them,
 * so never rename one. Messages must never contain tokens, phone numbers or message bodies.
 */
export const ERROR_CATALOG = {
  CONFIG_INVALID: { status: 500, message: 'Configuration is invalid' },
  CONTENT_INVALID: { status: 500, message: 'Content files are invalid' },
  CONTENT_NOT_LOADED: { status: 503, message: 'No valid content has been loaded yet' },
  STORE_UNAVAILABLE: { status: 503, message: 'The store is unreachable' },
  STORE_CONFLICT: { status: 409, message: 'The record was changed concurrently' },
  LOCK_TIMEOUT: { status: 503, message: 'Timed out waiting for the conversation lock' },
  BAD_REQUEST: { status: 400, message: 'The request is malformed' },
  VALIDATION_FAILED: { status: 400, message: 'The request body failed validation' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Expected a JSON body' },
  UNAUTHORIZED: { status: 401, message: 'Authentication is required' },
  INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password' },
  FORBIDDEN: { status: 403, message: 'Not allowed' },
  CSRF_FAILED: { status: 403, message: 'Missing or wrong X-CSRF-Token header for this session' },
  RATE_LIMITED: { status: 429, message: 'Too many attempts; try again later' },
  USER_EXISTS: { status: 409, message: 'A user with this username already exists' },
  NOT_FOUND: { status: 404, message: 'No such route or resource' },
  TICKET_TRANSITION_INVALID: { status: 409, message: 'The ticket cannot make that step from its current status' },
  TICKET_NOT_OWNER: { status: 409, message: 'Another agent owns the ticket' },
  TICKET_TAKEN: { status: 409, message: 'Another agent claimed the ticket first' },
  AGENT_AT_CAPACITY: { status: 409, message: 'The agent already has as many open tickets as allowed' },
  CHANNEL_UNAVAILABLE: { status: 503, message: "The customer's channel cannot deliver messages" },
  CHANNEL_DELIVERY_FAILED: {
    status: 502,
    message: "The customer's channel did not accept the message after retries; it is recorded on the ticket",
  },
  UNKNOWN_CHOICE: { status: 400, message: 'The choice does not belong to a pending question' },
  ATTACHMENT_GONE: { status: 410, message: "The customer's channel no longer has this file" },
  ATTACHMENT_TOO_LARGE: { status: 413, message: 'The file is larger than the download limit' },
  INTERNAL: { status: 500, message: 'Internal error' },
  // WhatsApp Cloud API (official).
  WHATSAPP_WINDOW_CLOSED: {
    status: 409,
    message:
      'The customer last wrote more than 24 hours ago: WhatsApp only allows an approved template now, and none is configured',
  },
  WHATSAPP_SIGNATURE_INVALID: { status: 401, message: 'Missing or wrong X-Hub-Signature-256' },
  // WhatsApp Web (Baileys, unofficial).
  WHATSAPP_WEB_NOT_OPTED_IN: {
    status: 409,
    message: 'WhatsApp Web only answers numbers that wrote first; this one never did',
  },
  WHATSAPP_WEB_NOT_CONNECTED: { status: 503, message: 'This instance does not hold a connected WhatsApp Web session' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** An error with a stable `code`; `details` must be safe to show (no PII, no secrets). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown, options?: { cause?: unknown }) {
    super(message ?? ERROR_CATALOG[code].message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.details = details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
