import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import { AppError } from '../../domain/errors';

/** Where Meta sends the WhatsApp webhook (the app's webhook settings name this URL). */
export const WHATSAPP_WEBHOOK_PATH = '/channels/whatsapp/webhook';
/** The header Meta signs every webhook POST in: `sha256=<hex HMAC of the raw body with the app secret>`. */
export const WHATSAPP_SIGNATURE_HEADER = 'x-hub-signature-256';
/** Meta batches messages and statuses; its bodies stay far below this. */
const WEBHOOK_BODY_LIMIT = '1mb';

/**
 * Whether `header` is the app secret's HMAC-SHA256 of exactly these bytes. Constant time over
 * equal-length digests; a missing or malformed header is simply wrong.
 */
export function validWhatsAppSignature(appSecret: string, raw: Buffer, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '');
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected);
}

/**
 * `GET /channels/whatsapp/webhook`: Meta's verification handshake (`hub.mode=subscribe`, the verify
 * token compared in constant time, `hub.challenge` echoed as text; 403 otherwise).
 * `POST`: the raw body's signature first (401 `WHATSAPP_SIGNATURE_INVALID`, nothing parsed or
 * processed), then the JSON (400 when malformed), then the adapter; 200 once the messages are
 * decided (or the ack budget ran out), 5xx when a decision failed, and Meta re-sends.
 */
export function whatsappCloudChannelRoutes(deps: {
  appSecret: string;
  verifyToken: string;
  accept: (body: unknown) => Promise<void>;
}): Router {
  const router = Router();
  router.get(WHATSAPP_WEBHOOK_PATH, (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && sameSecret(token, deps.verifyToken)) {
      if (typeof challenge === 'string' && /^[A-Za-z0-9_-]{1,256}$/.test(challenge)) {
        res.status(200).type('text/plain').send(challenge);
        return;
      }
    }
    res.status(403).type('text/plain').send('Forbidden');
  });
  router.post(WHATSAPP_WEBHOOK_PATH, express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validWhatsAppSignature(deps.appSecret, raw, req.get(WHATSAPP_SIGNATURE_HEADER))) {
      throw new AppError('WHATSAPP_SIGNATURE_INVALID');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError('VALIDATION_FAILED', 'The webhook body is not JSON');
    }
    await deps.accept(body);
    res.status(200).end();
  });
  return router;
}

/** Constant-time comparison of two strings of any length (over their SHA-256 digests). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHmac('sha256', 'verify-token').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
