import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import type { AcceptResult } from '../../channels/telegram/telegram.adapter';
import { AppError } from '../../domain/errors';

/** Where Telegram posts updates (`npm run telegram:webhook -- set` registers it). */
export const TELEGRAM_WEBHOOK_PATH = '/channels/telegram/webhook';

/** The header Telegram echoes the `secret_token` of `setWebhook` in. */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Refuses, before anything else (no body parsing, no store access, no Bot API call), a request
 * whose `X-Telegram-Bot-Api-Secret-Token` is missing or wrong: 401 `UNAUTHORIZED`. Compared in
 * constant time over SHA-256 digests, so neither the length nor a prefix of the secret leaks.
 */
export function telegramSecretCheck(secret: string): RequestHandler {
  const expected = createHash('sha256').update(secret).digest();
  return (req, _res, next) => {
    const given = req.headers[TELEGRAM_SECRET_HEADER];
    const digest = createHash('sha256')
      .update(typeof given === 'string' ? given : '')
      .digest();
    if (typeof given !== 'string' || !timingSafeEqual(digest, expected)) {
      return next(new AppError('UNAUTHORIZED', 'Missing or wrong X-Telegram-Bot-Api-Secret-Token'));
    }
    next();
  };
}

/**
 * `POST /channels/telegram/webhook`: the secret first, then the JSON body, then the adapter
 * (`TelegramChannel.accept`: dedup on `update_id`, the engine's decision within the ack budget,
 * replies sent afterwards). 200 with an empty body for processed, deferred, duplicate and ignored
 * updates; a failed decision is a 5xx, and Telegram re-sends the update.
 */
export function telegramChannelRoutes(deps: {
  secret: string;
  bodyLimitKb: number;
  accept: (body: unknown) => Promise<AcceptResult>;
}): Router {
  const router = Router();
  router.post(
    TELEGRAM_WEBHOOK_PATH,
    telegramSecretCheck(deps.secret),
    express.json({ limit: `${deps.bodyLimitKb}kb`, strict: true }),
    async (req, res) => {
      await deps.accept(req.body);
      res.status(200).end();
    },
  );
  return router;
}
