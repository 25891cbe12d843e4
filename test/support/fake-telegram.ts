import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Bot API call the fake received. */
export interface FakeCall {
  method: string;
  token: string;
  // Bot API payloads are asserted field by field in tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  params: any;
}

/** A scripted failure: `429` with `retry_after` seconds, or a 5xx. */
export type FakeFailure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 };

/**
 * A fake Telegram Bot API server over real HTTP on a free port, for tests and benchmarks: grammY
 * reaches it through `apiRoot` (`TELEGRAM_API_ROOT`) exactly as it reaches Telegram
 * (`POST <root>/bot<token>/<method>` with a JSON body). It records every call, answers the methods
 * the app uses with realistic results (forum topics included: `createForumTopic` numbers them,
 * `sendMessage` into an unknown or deleted topic is refused as Telegram does; the bot is an
 * admin, so it may still post into a closed one), can be told to fail a method N times (429 with
 * `retry_after`, or 5xx), serves queued updates to `getUpdates` for long polling, and serves files
 * added with `addFile` through `getFile` and the file download path (`/file/bot<token>/<path>`).
 *
 * ```ts
 * const tg = await startFakeTelegram();
 * tg.fail('sendMessage', { status: 429, retryAfter: 1 });
 * const [sent] = await tg.waitForCalls('sendMessage', 1);
 * await tg.stop();
 * ```
 */
export class FakeTelegram extends EventEmitter<{ call: [FakeCall] }> {
  readonly calls: FakeCall[] = [];
  private readonly failures = new Map<string, FakeFailure[]>();
  private readonly holds = new Map<string, Promise<void>[]>();
  private readonly updates: { update_id: number }[] = [];
  private pendingPoll?: () => void;
  private nextMessageId = 1000;
  private nextThreadId = 500;
  /** Forum topics created with `createForumTopic`, by `message_thread_id`, with their state. */
  readonly topics = new Map<number, { chatId: number; name: string; closed: boolean; deleted: boolean }>();
  /**
   * Files the fake can serve, by `file_id`: `getFile` names their path and size; `GET
   * /file/bot<token>/<path>` serves the bytes (with the right token only, as Telegram).
   */
  private readonly files = new Map<
    string,
    { uniqueId: string; path: string; bytes: Buffer; reportedSize?: number; chunked: boolean }
  >();
  /** Every file download the fake served or refused: the path asked for and the status. */
  readonly downloads: { token: string; path: string; status: number }[] = [];
  private webhook = { url: '', pending_update_count: 0, has_custom_certificate: false, max_connections: 40 };

  constructor(private readonly server: Server) {
    super();
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The calls of one method, in order. */
  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Holds the next call of `method`: it is recorded at once but answered only when the returned
   * function is called, so a test can act while the app waits for Telegram (a race made certain).
   */
  hold(method: string): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(method, [...(this.holds.get(method) ?? []), gate]);
    return release;
  }

  /** The next `failures.length` calls of `method` fail as scripted, then it works again. */
  fail(method: string, ...failures: FakeFailure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  /**
   * Makes a file downloadable by `fileId`. `reportedSize` is what `getFile` says (default: the
   * real length; `null`: no `file_size`, as Telegram sometimes does); `chunked` serves it without a
   * Content-Length. Over 20 MB reported, `getFile` refuses ("file is too big"), as Telegram does.
   */
  addFile(
    fileId: string,
    bytes: Buffer,
    options: { path?: string; reportedSize?: number | null; chunked?: boolean } = {},
  ): void {
    const path = options.path ?? `photos/file_${this.files.size}.jpg`;
    const reportedSize = options.reportedSize === null ? undefined : (options.reportedSize ?? bytes.length);
    this.files.set(fileId, {
      uniqueId: `u-${fileId.slice(-8)}`,
      path,
      bytes,
      reportedSize,
      chunked: !!options.chunked,
    });
  }

  /** Forgets a file: `getFile` then refuses it, and its old path answers 404. */
  removeFile(fileId: string): void {
    this.files.delete(fileId);
  }

  /** @internal `GET /file/bot<token>/<path>`. */
  download(token: string, path: string): { status: number; bytes?: Buffer; chunked?: boolean } {
    const file = [...this.files.values()].find((f) => f.path === path);
    const status = file && token === this.fileToken ? 200 : 404;
    this.downloads.push({ token, path, status });
    return status === 200 ? { status, bytes: file!.bytes, chunked: file!.chunked } : { status };
  }

  /** The token the files belong to (the one the first `getFile` used). */
  private fileToken?: string;

  /** Queues an update for `getUpdates` (long polling). */
  queueUpdate(update: { update_id: number }): void {
    this.updates.push(update);
    this.pendingPoll?.();
  }

  /**
   * Resolves once `method` has been called `count` times in total (the calls so far included), with
   * those calls; rejects after `timeoutMs`, naming what it saw, so a missing call fails clearly.
   */
  waitForCalls(method: string, count: number, timeoutMs = 10_000): Promise<FakeCall[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const seen = this.callsOf(method);
        if (seen.length < count) return false;
        this.off('call', onCall);
        clearTimeout(timer);
        resolve(seen.slice(0, count));
        return true;
      };
      const onCall = () => void check();
      const timer = setTimeout(() => {
        this.off('call', onCall);
        reject(
          new Error(
            `expected ${count} ${method} call(s), saw ${this.callsOf(method).length}: ${this.calls.map((c) => c.method).join(', ')}`,
          ),
        );
      }, timeoutMs);
      this.on('call', onCall);
      check();
    });
  }

  /** Resolves with the first call of `method` that `match` accepts (past or future); rejects after `timeoutMs`. */
  waitForCall(method: string, match: (call: FakeCall) => boolean, timeoutMs = 10_000): Promise<FakeCall> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.callsOf(method).find(match);
        if (!found) return;
        this.off('call', check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.off('call', check);
        reject(new Error(`no matching ${method} call among ${this.callsOf(method).length}`));
      }, timeoutMs);
      this.on('call', check);
      check();
    });
  }

  /** Forgets the recorded calls (not the scripted failures). */
  reset(): void {
    this.calls.length = 0;
  }

  async stop(): Promise<void> {
    this.pendingPoll?.();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** @internal the request handler. */
  async handle(
    method: string,
    token: string,
    params: Record<string, unknown>,
  ): Promise<{ status: number; body: unknown }> {
    const call = { method, token, params };
    this.calls.push(call);
    this.emit('call', call);
    await this.holds.get(method)?.shift();
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      return failure.status === 429
        ? {
            status: 429,
            body: {
              ok: false,
              error_code: 429,
              description: `Too Many Requests: retry after ${failure.retryAfter}`,
              parameters: { retry_after: failure.retryAfter },
            },
          }
        : {
            status: failure.status,
            body: { ok: false, error_code: failure.status, description: 'Internal Server Error' },
          };
    }
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    const now = Math.floor(Date.now() / 1000);
    switch (method) {
      case 'getMe':
        return ok({
          id: 7012345678,
          is_bot: true,
          first_name: 'MAJU JAYA CS',
          username: 'majujaya_cs_bot',
          can_join_groups: false,
        });
      case 'sendPhoto':
      case 'sendDocument': {
        // A file the bot has seen is sent again by its file_id; anything else is refused.
        const fileId = String(method === 'sendPhoto' ? params.photo : params.document);
        if (!this.files.has(fileId)) {
          return {
            status: 400,
            body: { ok: false, error_code: 400, description: 'Bad Request: wrong file identifier/HTTP URL specified' },
          };
        }
        const topic = params.message_thread_id !== undefined && this.topics.get(Number(params.message_thread_id));
        if (params.message_thread_id !== undefined && (!topic || topic.deleted)) {
          return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message thread not found' } };
        }
        return ok({
          message_id: this.nextMessageId++,
          date: now,
          chat: { id: Number(params.chat_id), type: Number(params.chat_id) < 0 ? 'supergroup' : 'private' },
          ...(params.message_thread_id !== undefined
            ? { message_thread_id: params.message_thread_id, is_topic_message: true }
            : {}),
          ...(params.caption !== undefined ? { caption: params.caption } : {}),
        });
      }
      case 'sendMessage':
        if (params.message_thread_id !== undefined) {
          const topic = this.topics.get(Number(params.message_thread_id));
          if (!topic || topic.deleted || topic.chatId !== Number(params.chat_id)) {
            return {
              status: 400,
              body: { ok: false, error_code: 400, description: 'Bad Request: message thread not found' },
            };
          }
        }
        return ok({
          message_id: this.nextMessageId++,
          date: now,
          chat: { id: Number(params.chat_id), type: Number(params.chat_id) < 0 ? 'supergroup' : 'private' },
          ...(params.message_thread_id !== undefined
            ? { message_thread_id: params.message_thread_id, is_topic_message: true }
            : {}),
          from: { id: 7012345678, is_bot: true, first_name: 'MAJU JAYA CS', username: 'majujaya_cs_bot' },
          text: params.text,
          ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
        });
      case 'editMessageReplyMarkup':
      case 'answerCallbackQuery':
      case 'deleteWebhook':
        if (method === 'deleteWebhook') this.webhook.url = '';
        return ok(true);
      case 'createForumTopic': {
        const name = String(params.name ?? '');
        if (name.length < 1 || name.length > 128) {
          return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: TOPIC_NAME_INVALID' } };
        }
        const id = this.nextThreadId++;
        this.topics.set(id, { chatId: Number(params.chat_id), name, closed: false, deleted: false });
        return ok({ message_thread_id: id, name, icon_color: 7322096 });
      }
      case 'closeForumTopic':
      case 'reopenForumTopic':
      case 'deleteForumTopic': {
        const topic = this.topics.get(Number(params.message_thread_id));
        if (!topic || topic.deleted) {
          return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: TOPIC_ID_INVALID' } };
        }
        if (method === 'deleteForumTopic') topic.deleted = true;
        else topic.closed = method === 'closeForumTopic';
        return ok(true);
      }
      case 'getFile': {
        const file = this.files.get(String(params.file_id ?? ''));
        if (!file) {
          return {
            status: 400,
            body: {
              ok: false,
              error_code: 400,
              description: 'Bad Request: wrong file_id or the file is temporarily unavailable',
            },
          };
        }
        if ((file.reportedSize ?? 0) > 20 * 1024 * 1024) {
          return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: file is too big' } };
        }
        this.fileToken ??= token;
        return ok({
          file_id: params.file_id,
          file_unique_id: file.uniqueId,
          ...(file.reportedSize !== undefined ? { file_size: file.reportedSize } : {}),
          file_path: file.path,
        });
      }
      case 'setWebhook':
        this.webhook.url = String(params.url);
        return ok(true);
      case 'getWebhookInfo':
        return ok({ ...this.webhook, allowed_updates: ['message', 'edited_message', 'callback_query'] });
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        const take = () => this.updates.filter((u) => u.update_id >= offset);
        if (take().length === 0) {
          // A short long-poll, so a stopping bot is not kept waiting.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 100);
            this.pendingPoll = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.pendingPoll = undefined;
        }
        return ok(take());
      }
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

/** Starts a fake Bot API on 127.0.0.1 and a free port. */
export async function startFakeTelegram(): Promise<FakeTelegram> {
  const server = createServer((req, res) => {
    void (async () => {
      const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? '');
      if (fileMatch && req.method === 'GET') {
        const served = fake.download(decodeURIComponent(fileMatch[1]!), decodeURIComponent(fileMatch[2]!));
        if (!served.bytes) {
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
          return;
        }
        // Telegram's file server says nothing useful about the type: the caller must not trust it.
        const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
        if (!served.chunked) headers['content-length'] = String(served.bytes.length);
        res.writeHead(200, headers);
        // In pieces, so a chunked answer really streams.
        for (let i = 0; i < served.bytes.length; i += 64 * 1024) res.write(served.bytes.subarray(i, i + 64 * 1024));
        res.end();
        return;
      }
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
      const raw = await readBody(req);
      if (!match || req.method !== 'POST') {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
        return;
      }
      const params = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const { status, body } = await fake.handle(match[2]!, decodeURIComponent(match[1]!), params);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    })();
  });
  const fake = new FakeTelegram(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return fake;
}
