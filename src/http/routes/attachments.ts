import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { z } from 'zod';
import type { AttachmentFetcher } from '../../channels/types';
import { AppError } from '../../domain/errors';
import type { Attachment } from '../../domain/message';
import type { Logger } from '../../observability/logger';
import type { Stores } from '../../store/types';
import type { Auditor } from '../audit';
import { requireRole } from '../middleware/auth';
import { parseOrThrow } from '../middleware/validate';

/** The Bot API's download limit for bots; also a sane cap for any channel's files. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

export interface AttachmentRouteDeps {
  stores: Pick<Stores, 'tickets'>;
  /** The channels (`ChannelRegistry`): each fetches its own files with its own credentials. */
  fetcher: AttachmentFetcher;
  auditor: Auditor;
  logger: Logger;
  /** Largest file passed through (default 20 MB). */
  maxBytes?: number;
}

/**
 * Raster images a browser may show inline. Never SVG (it is a document that runs scripts), never
 * HTML: whatever else a customer sends is a download.
 */
const INLINE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
/** Types passed through as downloads with their own type (a player can open them); the rest are `application/octet-stream`. */
const DOWNLOAD_TYPES = /^(?:audio|video)\/[a-z0-9.+-]+$|^application\/(?:pdf|zip|x-tgsticker)$/;

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'video/mp4': 'mp4',
  'application/pdf': 'pdf',
};

const params = z.strictObject({
  id: z.string().min(1).max(128),
  index: z.coerce.number({ error: 'index: a message number' }).int().min(0).max(1_000_000),
});

/** How a customer's file is served: a type the browser cannot turn into a page, and a safe file name. */
export function servingOf(
  attachment: Attachment,
  fallbackName: string,
): { contentType: string; disposition: string; fileName: string } {
  const declared = attachment.mimeType?.toLowerCase().split(';')[0]!.trim() ?? '';
  const inline = INLINE_TYPES.has(declared);
  const contentType = inline || DOWNLOAD_TYPES.test(declared) ? declared : 'application/octet-stream';
  const fileName = safeFileName(attachment.fileName) ?? `${fallbackName}.${EXTENSIONS[declared] ?? 'bin'}`;
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const disposition = `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
  return { contentType, disposition, fileName };
}

/** A customer-supplied file name without paths, control characters or quotes; undefined when nothing is left. */
function safeFileName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = name.split(/[/\\]/).pop() ?? '';
  // Control characters, quotes and separators out; leading dots too, so no hidden or relative names.
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"\\;]/g, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 120);
  return cleaned || undefined;
}

/** Counts bytes and fails the stream past `max`, for files whose size the platform did not say. */
class ByteCap extends Transform {
  private seen = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) callback(new AppError('ATTACHMENT_TOO_LARGE'));
    else callback(null, chunk);
  }
}

/**
 * `GET /api/tickets/:id/attachments/:index` (`tickets:read`, audited `attachment_read`): the file
 * of the ticket's `messages[index]`, fetched through the customer's channel and streamed. The
 * platform's credentials stay on the server (the channel fetches); the answer is a raster image
 * shown inline or a download (`Content-Disposition: attachment`), always with
 * `X-Content-Type-Options: nosniff` and a sandboxing CSP, so a customer's HTML or SVG never runs
 * in the console's origin. 404 `NOT_FOUND` (no such ticket, message or file), 410
 * `ATTACHMENT_GONE`, 413 `ATTACHMENT_TOO_LARGE` (over 20 MB), 503 `CHANNEL_UNAVAILABLE`.
 */
export function attachmentRoutes(deps: AttachmentRouteDeps): Router {
  const router = Router();
  const maxBytes = deps.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;

  router.get('/api/tickets/:id/attachments/:index', requireRole('tickets:read'), async (req, res) => {
    const { id, index } = parseOrThrow(params, req.params);
    const ticket = await deps.stores.tickets.get(id);
    if (!ticket) throw new AppError('NOT_FOUND', 'No such ticket');
    const attachment = ticket.messages[index]?.attachment;
    if (!attachment?.ref) throw new AppError('NOT_FOUND', 'No file on this message');
    if (attachment.size !== undefined && attachment.size > maxBytes) throw new AppError('ATTACHMENT_TOO_LARGE');

    const download = await deps.fetcher.fetchAttachment(ticket.channel, attachment.ref, { maxBytes });
    const serving = servingOf(attachment, `${ticket.number}-${index}`);
    await deps.auditor.record(res, 'attachment_read', ticket.id, { index: String(index), kind: attachment.kind });
    res.status(200).set({
      'Content-Type': serving.contentType,
      'Content-Disposition': serving.disposition,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    if (download.size !== undefined) res.set('Content-Length', String(download.size));
    try {
      await pipeline(download.body, new ByteCap(maxBytes), res);
    } catch (err) {
      // Headers are gone: all that is left is to cut the response short, so it cannot pass as whole.
      deps.logger.warn(
        { ticket: ticket.id, code: err instanceof AppError ? err.code : 'STREAM_FAILED' },
        'attachment download cut short',
      );
      res.destroy();
    }
  });
  return router;
}
