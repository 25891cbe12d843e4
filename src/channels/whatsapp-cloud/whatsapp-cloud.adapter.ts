import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { WhatsAppCloudConfig } from '../../config/schema';
import type { Clock } from '../../domain/clock';
import { conversationId } from '../../domain/conversation';
import { AppError, isAppError } from '../../domain/errors';
import type { InboundMessage, OutboundMessage } from '../../domain/message';
import type { Engine } from '../../engine/engine';
import { pseudonym, type Logger } from '../../observability/logger';
import type { ConversationStore, DedupStore, DeliveryReceiptStore } from '../../store/types';
import { BackgroundWork, KeyedChain } from '../keyed-chain';
import type { AttachmentDownload, ChannelSender } from '../types';
import {
  decodeWebhook,
  encodeMessage,
  encodeTemplate,
  serviceWindowOpen,
  WHATSAPP_CLOUD_CHANNEL,
  whatsappCloudCapabilities,
  whatsappWebhookSchema,
  type DeliveryStatus,
  type SendBody,
} from './whatsapp-cloud.codec';

/** How long a `wamid` is remembered: Meta re-sends unacknowledged webhooks for up to 7 days. */
const MESSAGE_DEDUP_TTL_MS = 7 * 24 * 60 * 60_000;
/** The webhook waits this long for the decisions, then answers 200 and lets the work finish. */
const ACK_BUDGET_MS = 3_000;
/** Graph API error codes that mean "slow down" (sent with HTTP 400 as often as with 429). */
const THROTTLED_CODES = new Set([4, 80007, 130429, 131056]);
/** The largest media file WhatsApp carries (documents: 100 MB); the route's own cap is lower. */
const WHATSAPP_MAX_MEDIA_BYTES = 100 * 1024 * 1024;
/** How long a delivery receipt is kept: Meta reports a message's statuses within its 30-day retention. */
const RECEIPT_TTL_MS = 30 * 24 * 60 * 60_000;

/** How hard sends try: finite everywhere, so a reply never hangs. */
export interface CloudRetryOptions {
  /** Calls in total, the first included (default 4). */
  maxAttempts: number;
  /** First wait after a 429 / 5xx / network error; doubles each time (default 500 ms). */
  baseDelayMs: number;
}

/** A message Meta refused after retries, or later reported `failed`. */
export interface CloudUndeliveredReport {
  channel: typeof WHATSAPP_CLOUD_CHANNEL;
  /** The customer's wa_id. Not for logs: use `pseudonym`. */
  recipient: string;
  undelivered: number;
  /** Meta's error code and title, or the network failure's kind; never the token. */
  reason: string;
}

export interface WhatsAppCloudDeps {
  config: WhatsAppCloudConfig;
  engine: Pick<Engine, 'handle' | 'choiceExpired'>;
  dedup: DedupStore;
  /** Read for the 24-hour window: when did the customer last write? */
  conversations: Pick<ConversationStore, 'get'>;
  /** Where each sent message's `wamid` and its later statuses (delivered, read, failed) are kept. */
  receipts: DeliveryReceiptStore;
  clock: Clock;
  logger: Logger;
  retry?: Partial<CloudRetryOptions>;
  onUndelivered?: (report: CloudUndeliveredReport) => Promise<void>;
  /** Shorter in tests. */
  ackBudgetMs?: number;
}

/**
 * The WhatsApp Cloud API channel (Meta's official API). Inbound: `accept` takes a webhook body
 * whose signature the route already checked, de-duplicates each message on its `wamid`, runs the
 * engine and sends the replies. Each accepted send's `wamid` is recorded as a receipt that the
 * webhook's status events move forward (sent → delivered → read); a `failed` one is also reported
 * like a refused send (a note on the customer's ticket). Outbound (`ChannelSender`): Graph API
 * `POST /<phone-number-id>/messages` with bounded retries, one customer's messages in order; outside
 * the 24-hour customer-service window an agent's reply or the CSAT question goes out as the
 * configured approved template, or is refused with `WHATSAPP_WINDOW_CLOSED` when there is none.
 */
export class WhatsAppCloudChannel implements ChannelSender {
  readonly name = WHATSAPP_CLOUD_CHANNEL;
  readonly capabilities = whatsappCloudCapabilities;
  private readonly chain = new KeyedChain();
  private readonly background = new BackgroundWork();
  private readonly retry: CloudRetryOptions;

  constructor(private readonly deps: WhatsAppCloudDeps) {
    this.retry = { maxAttempts: 4, baseDelayMs: 500, ...deps.retry };
  }

  /**
   * One webhook body. Rejects `VALIDATION_FAILED` for a body that is not a WhatsApp webhook.
   * Resolves once every message in it was decided and every status recorded (or the ack budget ran
   * out); rejects when one of them failed within the budget, after forgetting a failed message's
   * `wamid`, so Meta's re-send is processed.
   */
  async accept(body: unknown): Promise<void> {
    const parsed = whatsappWebhookSchema.safeParse(body);
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', 'Not a WhatsApp Business webhook');
    const { messages, statuses } = decodeWebhook(parsed.data, this.deps.clock.now(), this.deps.config.phoneNumberId);
    if (messages.length === 0 && statuses.length === 0) return;
    let acknowledged = false;
    const work = Promise.all([
      ...messages.map((m) => this.process(m, () => acknowledged)),
      // A status that could not be recorded fails the webhook, so Meta sends it again (recording
      // one twice changes nothing).
      ...statuses.map((status) => this.onStatus(status)),
    ]);
    this.background.track(work);
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        acknowledged = true;
        resolve();
      }, this.deps.ackBudgetMs ?? ACK_BUDGET_MS);
    });
    try {
      await Promise.race([work.then(() => undefined), budget]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for background work (replies still being sent); the server's `close` calls it. */
  stop(): Promise<void> {
    return this.background.settle();
  }

  private async process(inbound: InboundMessage, acknowledged: () => boolean): Promise<void> {
    const key = `whatsapp:message:${inbound.messageId}`;
    if (!(await this.deps.dedup.firstSeen(key, MESSAGE_DEDUP_TTL_MS))) return;
    const channel = { name: WHATSAPP_CLOUD_CHANNEL, capabilities: whatsappCloudCapabilities };
    let replies: OutboundMessage[];
    try {
      try {
        replies = (await this.deps.engine.handle(inbound, channel)).replies;
      } catch (err) {
        // A button of a question that is no longer open (old messages stay tappable): say so.
        if (!isAppError(err) || err.code !== 'UNKNOWN_CHOICE') throw err;
        replies = await this.deps.engine.choiceExpired(inbound, channel);
      }
    } catch (err) {
      if (acknowledged()) {
        this.deps.logger.error(
          { channel: WHATSAPP_CLOUD_CHANNEL, code: isAppError(err) ? err.code : 'INTERNAL' },
          'whatsapp message failed after it was acknowledged',
        );
        return;
      }
      await this.deps.dedup.forget(key);
      throw err;
    }
    if (replies.length > 0) {
      this.background.track(
        this.deliver(
          inbound.senderId,
          replies.flatMap((m) => encodeMessage(inbound.senderId, m)),
        ),
      );
    }
  }

  /**
   * `ChannelSender`: agent replies and the CSAT question, later than the customer's message. Within
   * 24 hours of the customer's last message they go out as they are; after that only as the
   * approved template (`WHATSAPP_WINDOW_CLOSED` when none is configured: the agent is told, and
   * nothing is sent). Rejects `CHANNEL_DELIVERY_FAILED` once a refusal is recorded.
   */
  async send(recipient: string, messages: OutboundMessage[]): Promise<void> {
    if (await this.windowOpen(recipient)) {
      await this.deliver(
        recipient,
        messages.flatMap((m) => encodeMessage(recipient, m)),
      );
      return;
    }
    const template = this.deps.config.reengageTemplate;
    if (!template) throw windowClosed();
    const text = messages.map((m) => (m.from?.kind === 'agent' ? `${m.from.name}: ${m.text}` : m.text)).join('\n');
    await this.deliver(recipient, [encodeTemplate(recipient, template, text)]);
  }

  /** `ChannelSender`: refuses before an agent's reply is recorded when it could not be sent at all. */
  async assertCanSend(recipient: string): Promise<void> {
    if (!this.deps.config.reengageTemplate && !(await this.windowOpen(recipient))) throw windowClosed();
  }

  /** Whether the customer wrote within the last 24 hours (their last turn in the conversation). */
  private async windowOpen(recipient: string): Promise<boolean> {
    const conv = await this.deps.conversations.get(conversationId(WHATSAPP_CLOUD_CHANNEL, recipient));
    const lastCustomerAt = conv?.transcript.filter((t) => t.from === 'customer').at(-1)?.at;
    return serviceWindowOpen(lastCustomerAt, this.deps.clock.now());
  }

  /**
   * `ChannelSender`: a customer's media by its media id: the Graph API names a short-lived URL
   * and the size, then the bytes are fetched from it with the same token (which never leaves this
   * method). `ATTACHMENT_GONE` when Meta no longer has the media (it keeps it 30 days).
   */
  async fetchAttachment(ref: string, options: { maxBytes: number }): Promise<AttachmentDownload> {
    const maxBytes = Math.min(options.maxBytes, WHATSAPP_MAX_MEDIA_BYTES);
    const meta = await this.graph('GET', `/${encodeURIComponent(ref)}`).catch((err: unknown) => {
      throw new AppError('CHANNEL_UNAVAILABLE', `WhatsApp did not answer the media lookup (${this.describe(err)})`);
    });
    if (meta.status === 404 || meta.status === 400) {
      throw new AppError('ATTACHMENT_GONE', `WhatsApp no longer has this media (${meta.status})`);
    }
    const info = meta.json as { url?: unknown; file_size?: unknown } | undefined;
    if (!meta.ok || typeof info?.url !== 'string') {
      throw new AppError('CHANNEL_UNAVAILABLE', `WhatsApp answered the media lookup with ${meta.status}`);
    }
    const reported = typeof info.file_size === 'number' ? info.file_size : undefined;
    if (reported !== undefined && reported > maxBytes) throw new AppError('ATTACHMENT_TOO_LARGE');
    let response: Response;
    try {
      response = await fetch(info.url, {
        headers: { authorization: `Bearer ${this.deps.config.accessToken}` },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new AppError('CHANNEL_UNAVAILABLE', `WhatsApp's media server did not answer (${this.describe(err)})`);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      if (response.status === 404) throw new AppError('ATTACHMENT_GONE', "WhatsApp's media server answered 404");
      throw new AppError('CHANNEL_UNAVAILABLE', `WhatsApp's media server answered ${response.status}`);
    }
    const length = Number(response.headers.get('content-length') ?? NaN);
    const size = reported ?? (Number.isFinite(length) ? length : undefined);
    if (size !== undefined && size > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new AppError('ATTACHMENT_TOO_LARGE');
    }
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    return size === undefined ? { body } : { body, size };
  }

  /** Sends bodies to one customer in order; the first refusal (after retries) stops the rest and is recorded. */
  private deliver(recipient: string, bodies: SendBody[]): Promise<void> {
    return this.chain.run(recipient, async () => {
      for (let i = 0; i < bodies.length; i++) {
        const result = await this.sendWithRetry(bodies[i]!);
        if ('messageId' in result) {
          if (result.messageId) await this.recordSent(recipient, result.messageId);
          continue;
        }
        const failure = result.failure;
        await this.undelivered(recipient, bodies.length - i, failure);
        throw new AppError('CHANNEL_DELIVERY_FAILED', `WhatsApp did not accept the message (${failure})`);
      }
    });
  }

  /**
   * One send with bounded retries on 429, throttling codes, 5xx and network errors: the `wamid`
   * Meta gave the message (empty when its answer named none), or the failure's reason.
   */
  private async sendWithRetry(body: SendBody): Promise<{ messageId: string } | { failure: string }> {
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      let retriable: boolean;
      try {
        const res = await this.graph('POST', `/${this.deps.config.phoneNumberId}/messages`, body);
        if (res.ok) {
          const sent = (res.json as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
          return { messageId: typeof sent === 'string' ? sent : '' };
        }
        const error = (res.json as { error?: { code?: number; message?: string } } | undefined)?.error;
        // Meta's messages can quote the recipient's number: long digit runs are masked.
        const message = error?.message?.replace(/\+?\d{7,}/g, '<number>');
        reason = `${res.status}${error?.code !== undefined ? ` ${error.code}` : ''}${message ? `: ${message}` : ''}`;
        retriable = res.status === 429 || res.status >= 500 || THROTTLED_CODES.has(error?.code ?? -1);
      } catch (err) {
        reason = this.describe(err);
        retriable = true;
      }
      if (!retriable || attempt >= this.retry.maxAttempts) return { failure: reason };
      await new Promise((resolve) => setTimeout(resolve, this.retry.baseDelayMs * 2 ** (attempt - 1)));
    }
  }

  private async graph(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ ok: boolean; status: number; json: unknown }> {
    const res = await fetch(`${this.deps.config.apiBase}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.deps.config.accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const json: unknown = await res.json().catch(() => undefined);
    return { ok: res.ok, status: res.status, json };
  }

  /**
   * Records an accepted send. A receipt that cannot be written costs only the console's "delivered /
   * read" line, never the message: logged, not thrown.
   */
  private async recordSent(recipient: string, messageId: string): Promise<void> {
    const id = conversationId(WHATSAPP_CLOUD_CHANNEL, recipient);
    await this.deps.receipts.sent(messageId, id, this.deps.clock.now(), RECEIPT_TTL_MS).catch((err: unknown) => {
      this.deps.logger.warn(
        { channel: WHATSAPP_CLOUD_CHANNEL, conversation: pseudonym(id), code: isAppError(err) ? err.code : 'INTERNAL' },
        'whatsapp receipt not recorded',
      );
    });
  }

  /**
   * A delivery status from the webhook moves the message's receipt forward (a late or repeated
   * event changes nothing); a `failed` one is also recorded where agents see it, once: Meta's
   * re-send of the same event finds the receipt already failed.
   */
  private async onStatus(status: DeliveryStatus): Promise<void> {
    const id = conversationId(WHATSAPP_CLOUD_CHANNEL, status.recipient);
    this.deps.logger.debug(
      { channel: WHATSAPP_CLOUD_CHANNEL, conversation: pseudonym(id), status: status.status },
      'whatsapp status',
    );
    if (status.status === 'other') return;
    const at = status.at ?? this.deps.clock.now();
    const { receipt, advanced } = await this.deps.receipts.update(
      status.messageId,
      id,
      status.status,
      at,
      RECEIPT_TTL_MS,
    );
    if (advanced && receipt.state === 'failed') {
      await this.undelivered(status.recipient, 1, status.reason ?? 'failed');
    }
  }

  private async undelivered(recipient: string, undelivered: number, reason: string): Promise<void> {
    this.deps.logger.error(
      {
        channel: WHATSAPP_CLOUD_CHANNEL,
        conversation: pseudonym(conversationId(WHATSAPP_CLOUD_CHANNEL, recipient)),
        undelivered,
        reason,
      },
      'whatsapp message not delivered',
    );
    await this.deps
      .onUndelivered?.({ channel: WHATSAPP_CLOUD_CHANNEL, recipient, undelivered, reason })
      .catch(() => undefined);
  }

  /** A failure as a log-safe line, never holding the token. */
  private describe(err: unknown): string {
    const text =
      err instanceof Error ? `${err.name}${err.cause instanceof Error ? `: ${err.cause.name}` : ''}` : 'unknown';
    return text.split(this.deps.config.accessToken).join('<token>');
  }
}

function windowClosed(): AppError {
  return new AppError(
    'WHATSAPP_WINDOW_CLOSED',
    'The customer last wrote more than 24 hours ago: WhatsApp allows only an approved template now, and WHATSAPP_CLOUD_REENGAGE_TEMPLATE is not set. Nothing was sent or recorded.',
  );
}
