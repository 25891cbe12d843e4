import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Api, Bot, GrammyError, HttpError } from 'grammy';
import type { Clock } from '../../domain/clock';
import { AppError, isAppError } from '../../domain/errors';
import type { OutboundMessage } from '../../domain/message';
import type { Engine } from '../../engine/engine';
import type { Logger } from '../../observability/logger';
import { pseudonym } from '../../observability/logger';
import type { DedupStore } from '../../store/types';
import type { AttachmentDownload, ChannelSender } from '../types';
import { boundedRetry, type RetryOptions } from './retry';
import {
  classifyUpdate,
  encodeMessage,
  TELEGRAM_CHANNEL,
  telegramCapabilities,
  telegramUpdateSchema,
  type TelegramClassified,
} from './telegram.codec';
import { chatIdOf } from './desk.codec';

/** Telegram keeps an undelivered update for at most 24 hours, so a seen `update_id` is kept as long. */
export const UPDATE_DEDUP_TTL_MS = 24 * 60 * 60_000;

/**
 * How long the webhook waits for the engine's decision before answering Telegram anyway. The
 * decision (NLU, store writes) normally takes milliseconds, and waiting for it keeps one chat's
 * updates in order (Telegram sends a chat's next update after our answer) and lets a failure be
 * answered with a 5xx so Telegram re-sends. A decision stuck behind a slow store or a busy
 * conversation lock must not hold Telegram past its patience (re-sends, a growing backlog): after
 * this budget we answer 200 and finish in the background; the `update_id` is already recorded, so
 * a re-send is dropped. Replies are always sent after the answer, off the request path.
 */
export const ACK_BUDGET_MS = 3_000;

/** The Bot API serves files up to 20 MB to bots (`getFile`); larger ones cannot be fetched at all. */
export const TELEGRAM_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** The update kinds the customer bot subscribes to (webhook and polling). */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

/** A message Telegram would not take, even after the bounded retries. */
export interface UndeliveredReport {
  channel: typeof TELEGRAM_CHANNEL;
  /** The chat id (the conversation's sender id). Not for logs: use `pseudonym`. */
  recipient: string;
  /** How many messages of the batch did not arrive (this one and the ones after it). */
  undelivered: number;
  /** Telegram's error code and description, or the network failure, without the token. */
  reason: string;
}

export interface TelegramAdapterDeps {
  token: string;
  /** `https://api.telegram.org`, or a local fake in tests and benchmarks. No trailing slash. */
  apiRoot: string;
  /** The engine (only `handle`; the server passes it before the engine exists, hence the narrow type). */
  engine: Pick<Engine, 'handle' | 'choiceExpired'>;
  dedup: DedupStore;
  clock: Clock;
  logger: Logger;
  retry?: Partial<RetryOptions>;
  ackBudgetMs?: number;
  /**
   * Records a message that could not be delivered (a note on the customer's ticket, surfaced to
   * agents). Called before `send` rejects, and for bot replies nobody awaits. Must not throw.
   */
  onUndelivered?: (report: UndeliveredReport) => Promise<void>;
  /**
   * The agents' desk (`TELEGRAM_AGENTS_CHAT_ID`): updates from that chat go to `accept` instead of
   * the customer codec (which ignores groups). Same dedup and ack budget as customer updates.
   */
  desk?: { chatId: number; accept: (update: unknown) => Promise<void> };
}

/** What became of one update handed to `accept`. */
export type AcceptResult = 'processed' | 'deferred' | 'duplicate' | 'ignored';

/**
 * The Telegram channel's I/O: takes updates (from the webhook route or long polling), runs them
 * through the engine, and sends replies; it is also the `ChannelSender` through which agent replies
 * and the CSAT question reach Telegram customers. Calls to one chat leave in order (a per-chat
 * chain in this process); every call retries 429/5xx boundedly (`retry.ts`); a message that still
 * fails is reported to `onUndelivered` and, for awaited sends, rejected with
 * `CHANNEL_DELIVERY_FAILED`. The bot token never reaches a log line or an error message.
 */
export class TelegramChannel implements ChannelSender {
  readonly name = TELEGRAM_CHANNEL;
  readonly capabilities = telegramCapabilities;
  readonly api: Api;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly background = new Set<Promise<unknown>>();
  private bot?: Bot;
  private polling?: Promise<void>;

  constructor(private readonly deps: TelegramAdapterDeps) {
    this.api = new Api(deps.token, { apiRoot: deps.apiRoot, timeoutSeconds: 30 });
    this.api.config.use(boundedRetry(deps.retry));
  }

  /**
   * One update, from the webhook or from polling. Resolves once the engine has decided (or the ack
   * budget ran out: `deferred`); rejects when the decision failed, after forgetting the
   * `update_id` so Telegram's re-send is processed. Replies go out afterwards, in order.
   */
  async accept(body: unknown): Promise<AcceptResult> {
    const parsed = telegramUpdateSchema.safeParse(body);
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'Not a Telegram update');
    const update = parsed.data;
    const dedupKey = `telegram:update:${update.update_id}`;
    if (!(await this.deps.dedup.firstSeen(dedupKey, UPDATE_DEDUP_TTL_MS))) return 'duplicate';

    const desk = this.deps.desk;
    if (desk && chatIdOf(update) === desk.chatId) {
      if (update.callback_query) this.track(this.answerCallback(update.callback_query.id));
      return this.settle(() => desk.accept(update), dedupKey, update.update_id);
    }

    const classified = classifyUpdate(update, this.deps.clock.now());
    // Stop the button's spinner at once, whatever the press leads to.
    if (classified.callbackQueryId) this.track(this.answerCallback(classified.callbackQueryId));
    if (classified.kind === 'ignore') {
      this.deps.logger.debug({ update: update.update_id, reason: classified.reason }, 'telegram update ignored');
      return 'ignored';
    }
    return this.settle(() => this.process(classified), dedupKey, update.update_id);
  }

  /**
   * Waits for `run` within the ack budget: `processed`, or `deferred` when the budget ran out (the
   * work finishes in the background). A failure within the budget forgets the `update_id` and
   * rejects, so the webhook answers 5xx and Telegram re-sends.
   */
  private async settle(run: () => Promise<void>, dedupKey: string, updateId: number): Promise<AcceptResult> {
    let answered = false;
    const work = run().catch(async (err: unknown) => {
      if (!answered) {
        await this.deps.dedup.forget(dedupKey);
        throw err;
      }
      this.deps.logger.error(
        { update: updateId, code: isAppError(err) ? err.code : 'INTERNAL' },
        'telegram update failed after it was acknowledged',
      );
    });
    this.track(work.catch(() => undefined));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'deferred'>((resolve) => {
      timer = setTimeout(() => {
        answered = true;
        resolve('deferred');
      }, this.deps.ackBudgetMs ?? ACK_BUDGET_MS);
    });
    try {
      return await Promise.race([work.then(() => 'processed' as const), budget]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The engine's decision for one message; its replies are queued on the chat's chain. */
  private async process(classified: Extract<TelegramClassified, { kind: 'message' }>): Promise<void> {
    // A pressed keyboard has done its job (or belongs to a question already answered): remove it,
    // so it cannot be pressed again. After the decision, on the chat's chain, before the replies.
    if (classified.keyboardMessageId !== undefined) {
      const messageId = classified.keyboardMessageId;
      this.track(
        this.enqueue(String(classified.chatId), () =>
          this.api.editMessageReplyMarkup(classified.chatId, messageId).then(
            () => undefined,
            (err: unknown) => this.deps.logger.warn({ reason: this.describe(err) }, 'telegram keyboard not removed'),
          ),
        ),
      );
    }
    const channel = { name: TELEGRAM_CHANNEL, capabilities: telegramCapabilities };
    let replies: OutboundMessage[];
    try {
      replies = (await this.deps.engine.handle(classified.inbound, channel)).replies;
    } catch (err) {
      // A button from an old question (still pressable in the chat history): say it has expired.
      if (!isAppError(err) || err.code !== 'UNKNOWN_CHOICE') throw err;
      replies = await this.deps.engine.choiceExpired(classified.inbound, channel);
    }
    if (replies.length === 0) return;
    const recipient = String(classified.chatId);
    this.track(this.deliver(recipient, replies).catch(() => undefined));
  }

  /**
   * `ChannelSender`: agent replies and the CSAT question. Rejects with `CHANNEL_DELIVERY_FAILED`
   * once the message is recorded as undelivered.
   */
  async send(recipient: string, messages: OutboundMessage[]): Promise<void> {
    await this.deliver(recipient, messages);
  }

  /** Sends in order on the chat's chain; on a final failure reports the rest as undelivered. */
  private deliver(recipient: string, messages: OutboundMessage[]): Promise<void> {
    const calls = messages.flatMap((m) => encodeMessage(m));
    // Chat ids are numbers to Telegram; our sender ids are their decimal strings.
    const chatId = /^-?\d+$/.test(recipient) ? Number(recipient) : recipient;
    return this.enqueue(recipient, async () => {
      for (let i = 0; i < calls.length; i++) {
        try {
          await this.api.sendMessage(
            chatId,
            calls[i]!.text,
            calls[i]!.reply_markup ? { reply_markup: calls[i]!.reply_markup } : {},
          );
        } catch (err) {
          const reason = this.describe(err);
          const report: UndeliveredReport = {
            channel: TELEGRAM_CHANNEL,
            recipient,
            undelivered: calls.length - i,
            reason,
          };
          this.deps.logger.error(
            {
              channel: TELEGRAM_CHANNEL,
              conversation: pseudonym(`${TELEGRAM_CHANNEL}:${recipient}`),
              undelivered: report.undelivered,
              reason,
            },
            'telegram message not delivered',
          );
          await this.deps.onUndelivered?.(report).catch(() => undefined);
          throw new AppError('CHANNEL_DELIVERY_FAILED', `Telegram did not accept the message (${reason})`);
        }
      }
    });
  }

  /**
   * `ChannelSender`: a customer's file by its `file_id`: `getFile` (which names the file's path on
   * Telegram's file server and its size), then the download `<apiRoot>/file/bot<token>/<path>`,
   * streamed. The URL holds the token, so it never leaves this method (not in errors, not in logs).
   * `ATTACHMENT_GONE` when Telegram no longer knows the file; `ATTACHMENT_TOO_LARGE` when it is
   * over `maxBytes` or Telegram's 20 MB limit for bots.
   */
  async fetchAttachment(ref: string, options: { maxBytes: number }): Promise<AttachmentDownload> {
    const maxBytes = Math.min(options.maxBytes, TELEGRAM_MAX_DOWNLOAD_BYTES);
    let file;
    try {
      file = await this.api.getFile(ref);
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 400) {
        if (/too big/i.test(err.description)) throw new AppError('ATTACHMENT_TOO_LARGE');
        throw new AppError('ATTACHMENT_GONE', `Telegram no longer has this file (${this.describe(err)})`);
      }
      throw new AppError('CHANNEL_UNAVAILABLE', `Telegram did not answer getFile (${this.describe(err)})`);
    }
    if (file.file_size !== undefined && file.file_size > maxBytes) throw new AppError('ATTACHMENT_TOO_LARGE');
    if (!file.file_path) throw new AppError('ATTACHMENT_GONE', 'Telegram gave no download path for this file');
    const path = file.file_path.split('/').map(encodeURIComponent).join('/');
    let response: Response;
    try {
      response = await fetch(`${this.deps.apiRoot}/file/bot${this.deps.token}/${path}`, {
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new AppError('CHANNEL_UNAVAILABLE', `Telegram's file server did not answer (${this.describe(err)})`);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      // The path is valid for an hour; a 404 after that (or a deleted file) means it is gone.
      if (response.status === 404 || response.status === 400) {
        throw new AppError('ATTACHMENT_GONE', `Telegram's file server answered ${response.status}`);
      }
      throw new AppError('CHANNEL_UNAVAILABLE', `Telegram's file server answered ${response.status}`);
    }
    const length = Number(response.headers.get('content-length') ?? NaN);
    const size = file.file_size ?? (Number.isFinite(length) ? length : undefined);
    if (size !== undefined && size > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new AppError('ATTACHMENT_TOO_LARGE');
    }
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    return size === undefined ? { body } : { body, size };
  }

  private async answerCallback(id: string): Promise<void> {
    try {
      await this.api.answerCallbackQuery(id);
    } catch (err) {
      // Too late (a query older than ~15 s) or a network failure: only the spinner is affected.
      this.deps.logger.warn({ reason: this.describe(err) }, 'telegram callback query not answered');
    }
  }

  /** Runs `fn` after everything queued for `key`, so one chat's messages leave in order. */
  private enqueue(key: string, fn: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return next;
  }

  private track(promise: Promise<unknown>): void {
    this.background.add(promise);
    void promise.finally(() => this.background.delete(promise));
  }

  /** A Telegram failure as a log-safe line: error code and description, or the network error's kind. */
  private describe(err: unknown): string {
    let text: string;
    if (err instanceof GrammyError) text = `${err.error_code}: ${err.description}`;
    else if (err instanceof HttpError) text = `network: ${(err.error as Error | undefined)?.name ?? 'error'}`;
    else if (err instanceof Error) text = err.name;
    else text = 'unknown';
    return text.split(this.deps.token).join('<token>');
  }

  /**
   * Long polling for local use (one instance only: Telegram allows one `getUpdates` consumer per
   * token, and starting it deletes any webhook). Updates go through `accept` like webhook ones.
   */
  startPolling(): void {
    if (this.bot) return;
    const bot = new Bot(this.deps.token, { client: { apiRoot: this.deps.apiRoot } });
    bot.api.config.use(boundedRetry(this.deps.retry));
    bot.use(async (ctx) => {
      await this.accept(ctx.update);
    });
    bot.catch((err) => this.deps.logger.error({ reason: this.describe(err.error) }, 'telegram update failed'));
    this.bot = bot;
    this.polling = bot
      .start({ allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false })
      .catch((err: unknown) => this.deps.logger.error({ reason: this.describe(err) }, 'telegram polling stopped'));
  }

  /** Stops polling and waits (boundedly) for updates and sends in flight. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.bot) {
      await this.bot.stop().catch(() => undefined);
      await this.polling;
      this.bot = undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.background]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
