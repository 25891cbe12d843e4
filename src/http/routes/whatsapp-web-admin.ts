import { Router } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import type { WhatsAppWebService, WhatsAppWebView } from '../../channels/whatsapp-web/whatsapp-web.service';
import type { Auditor } from '../audit';
import { requireRole } from '../middleware/auth';
import { parseOrThrow } from '../middleware/validate';

export interface WhatsAppWebAdminDeps {
  /** Absent when WhatsApp Web is not enabled: the page then says how to enable it. */
  service?: Pick<WhatsAppWebService, 'view' | 'act'>;
  auditor: Auditor;
}

/** The page's data: the view, plus the QR as an image the browser can show without a library. */
export type WhatsAppWebAdminView = ({ enabled: true } & WhatsAppWebView & { qrImage?: string }) | { enabled: false };

/** Digits with the country code, as WhatsApp wants it for a pairing code (`62812…`). */
const pairingBody = z.object({
  phone: z
    .string()
    .transform((s) => s.replace(/[\s+()-]/g, ''))
    .pipe(z.string().regex(/^[1-9]\d{7,14}$/, { error: 'digits with the country code, e.g. 6281234567890' })),
});

/**
 * Connecting the business number to WhatsApp Web, from the console (admins, `channels:manage`):
 *
 * | route | does |
 * |---|---|
 * | `GET /api/channels/whatsapp-web` | who owns the socket and its status; while waiting for a login, the QR as a PNG data URL |
 * | `POST /api/channels/whatsapp-web/pairing-code` `{phone}` | log in by an 8-character code typed on the phone instead |
 * | `POST /api/channels/whatsapp-web/logout` | unlink this device and forget the session |
 * | `POST /api/channels/whatsapp-web/connect` | connect again after a stop (a new QR when the session was wiped) |
 *
 * Actions run on the instance owning the socket: at once when that is this one, else queued for it
 * (`queued: true`, the page re-reads the status). Each is audited (`whatsapp_web`, `{do}`), never
 * with the phone number.
 */
export function whatsappWebAdminRoutes(deps: WhatsAppWebAdminDeps): Router {
  const router = Router();
  router.use('/api/channels/whatsapp-web', requireRole('channels:manage'), (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/api/channels/whatsapp-web', async (_req, res) => {
    if (!deps.service) {
      res.json({ enabled: false } satisfies WhatsAppWebAdminView);
      return;
    }
    const view = await deps.service.view();
    const body: WhatsAppWebAdminView = { enabled: true, ...view };
    if (view.connection?.state === 'qr') body.qrImage = await QRCode.toDataURL(view.connection.qr, { margin: 1 });
    res.json(body);
  });

  const service = (): Pick<WhatsAppWebService, 'view' | 'act'> => {
    if (!deps.service) throw new AppError('CHANNEL_UNAVAILABLE', 'WhatsApp Web is not enabled (WHATSAPP_WEB_ENABLED)');
    return deps.service;
  };
  router.post('/api/channels/whatsapp-web/pairing-code', async (req, res) => {
    const { phone } = parseOrThrow(pairingBody, req.body);
    const result = await service().act({ kind: 'pairing_code', phone });
    await deps.auditor.record(res, 'whatsapp_web', undefined, { do: 'pairing_code' });
    res.status(result.queued ? 202 : 200).json(result);
  });
  for (const kind of ['logout', 'connect'] as const) {
    router.post(`/api/channels/whatsapp-web/${kind}`, async (_req, res) => {
      const result = await service().act({ kind });
      await deps.auditor.record(res, 'whatsapp_web', undefined, { do: kind });
      res.status(result.queued ? 202 : 200).json(result);
    });
  }
  return router;
}
