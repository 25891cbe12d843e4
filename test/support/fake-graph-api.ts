import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One send the fake received (`POST /<phone-number-id>/messages`). */
export interface GraphSend {
  phoneNumberId: string;
  token: string;
  // Graph API bodies are asserted field by field in tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The `wamid` the fake answered with (absent when the send was refused). */
  messageId?: string;
}

/** A scripted refusal: an HTTP status and a Graph error code (Meta's throttling codes come with 400 or 429). */
export interface GraphFailure {
  status: number;
  code: number;
  message?: string;
}

/**
 * A fake Meta Graph API (WhatsApp Cloud API slice) over real HTTP on a free port: the app reaches
 * it through `WHATSAPP_CLOUD_API_BASE` exactly as it reaches `https://graph.facebook.com/vXX.X`.
 * It checks the bearer token (401, code 190, otherwise), records every send with the `wamid` it
 * gave, can refuse the next sends as scripted, and serves media added with `addMedia` (the lookup
 * `GET /<media-id>` names a download URL on this server, which needs the same token).
 *
 * ```ts
 * const graph = await startFakeGraphApi('EAAG-token');
 * graph.fail({ status: 429, code: 130429 });
 * const [sent] = await graph.waitForSends(1);
 * ```
 */
export class FakeGraphApi extends EventEmitter<{ send: [GraphSend] }> {
  readonly sends: GraphSend[] = [];
  private readonly failures: GraphFailure[] = [];
  private readonly media = new Map<string, { bytes: Buffer; mimeType: string }>();
  private nextId = 1;

  constructor(
    private readonly server: Server,
    readonly token: string,
  ) {
    super();
  }

  /** What `WHATSAPP_CLOUD_API_BASE` is set to (a version segment, as Meta's). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v23.0`;
  }

  /** The next `failures.length` sends are refused as scripted, then sends work again. */
  fail(...failures: GraphFailure[]): void {
    this.failures.push(...failures);
  }

  addMedia(id: string, bytes: Buffer, mimeType = 'image/jpeg'): void {
    this.media.set(id, { bytes, mimeType });
  }

  /** Sends to one customer (wa_id), in order. */
  sentTo(waId: string): GraphSend[] {
    return this.sends.filter((s) => s.body.to === waId);
  }

  /** Resolves once `predicate` holds for the sends so far; rejects after `timeoutMs`, naming what it saw. */
  waitFor(predicate: (sends: GraphSend[]) => boolean, timeoutMs = 10_000): Promise<GraphSend[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.sends)) return false;
        this.off('send', check);
        clearTimeout(timer);
        resolve(this.sends);
        return true;
      };
      const timer = setTimeout(() => {
        this.off('send', check);
        reject(new Error(`fake Graph API: condition not met; sends: ${JSON.stringify(this.sends.map((s) => s.body))}`));
      }, timeoutMs);
      if (!check()) this.on('send', check);
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** @internal the request handler. */
  handle(method: string, path: string, token: string, body: unknown): { status: number; body: unknown; raw?: Buffer } {
    if (token !== this.token) {
      return {
        status: 401,
        body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } },
      };
    }
    const file = /^\/media-file\/([^/]+)$/.exec(path);
    if (method === 'GET' && file) {
      const media = this.media.get(decodeURIComponent(file[1]!));
      return media ? { status: 200, body: undefined, raw: media.bytes } : { status: 404, body: {} };
    }
    const send = /^\/v23\.0\/(\d+)\/messages$/.exec(path);
    if (method === 'POST' && send) {
      const record: GraphSend = { phoneNumberId: send[1]!, token, body };
      const failure = this.failures.shift();
      if (!failure) record.messageId = `wamid.fake${String(this.nextId++).padStart(6, '0')}`;
      this.sends.push(record);
      this.emit('send', record);
      if (failure) {
        return {
          status: failure.status,
          body: { error: { message: failure.message ?? 'Refused', type: 'OAuthException', code: failure.code } },
        };
      }
      const to = (body as { to?: string }).to;
      return {
        status: 200,
        body: {
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to }],
          messages: [{ id: record.messageId }],
        },
      };
    }
    const lookup = /^\/v23\.0\/([^/]+)$/.exec(path);
    if (method === 'GET' && lookup) {
      const id = decodeURIComponent(lookup[1]!);
      const media = this.media.get(id);
      if (!media) {
        return {
          status: 400,
          body: { error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100 } },
        };
      }
      const port = (this.server.address() as AddressInfo).port;
      return {
        status: 200,
        body: {
          messaging_product: 'whatsapp',
          url: `http://127.0.0.1:${port}/media-file/${encodeURIComponent(id)}`,
          mime_type: media.mimeType,
          file_size: media.bytes.length,
          id,
        },
      };
    }
    return { status: 404, body: { error: { message: 'Unknown path', code: 803 } } };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the fake on a free port of 127.0.0.1, accepting `token` as the only valid access token. */
export async function startFakeGraphApi(token: string): Promise<FakeGraphApi> {
  const holder: { fake?: FakeGraphApi } = {};
  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      const url = new URL(req.url ?? '/', 'http://fake');
      const result = holder.fake!.handle(
        req.method ?? 'GET',
        url.pathname,
        auth?.[1] ?? '',
        text ? JSON.parse(text) : undefined,
      );
      if (result.raw) {
        res.writeHead(result.status, {
          'content-type': 'application/octet-stream',
          'content-length': result.raw.length,
        });
        res.end(result.raw);
        return;
      }
      res.writeHead(result.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result.body ?? {}));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  holder.fake = new FakeGraphApi(server, token);
  return holder.fake;
}
