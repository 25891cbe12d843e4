import { z } from 'zod';
import type { Clock, Rng } from '../../domain/clock';
import { conversationId } from '../../domain/conversation';
import { AppError } from '../../domain/errors';
import type { InboundMessage, OutboundMessage } from '../../domain/message';
import type { ChannelInfo } from '../../engine/engine';
import type { EngineOutcome } from '../../engine/outcome';
import type { Logger } from '../../observability/logger';
import { pseudonym } from '../../observability/logger';
import type { Stores, WhatsAppWebRequest } from '../../store/types';
import type { ChannelSender } from '../types';
import type { PacingOptions } from './pacing';
import type { BackoffOptions, StopReason } from './reconnect';
import { SocketOwner } from './socket-owner';
import { WhatsAppWebChannel, type ConnectionStatus, type SocketFactory } from './whatsapp-web.adapter';
import { WHATSAPP_WEB_CHANNEL, whatsappWebCapabilities } from './whatsapp-web.codec';

/** Defaults: a dead owner is replaced within ~30 s; requests and status move every second. */
export const WHATSAPP_WEB_LEASE_TTL_MS = 30_000;
export const WHATSAPP_WEB_LEASE_TICK_MS = 10_000;
export const WHATSAPP_WEB_BOARD_POLL_MS = 1_000;

/** What the console's WhatsApp page shows (`GET /api/channels/whatsapp-web`). */
export interface WhatsAppWebView {
  session: string;
  /** The instance holding the socket lease, or null (none alive, or starting). */
  owner: string | null;
  /** True when the instance that answered holds it. */
  ownedHere: boolean;
  /** The owner's last posted connection status; null when no owner posted one recently. */
  connection: ConnectionStatus | null;
  /** The last request that failed on the owner (e.g. a pairing code WhatsApp refused). */
  lastError?: string;
}

/** The board's status entry: the connection plus the last failed request. */
interface PostedStatus {
  connection: ConnectionStatus;
  lastError?: string;
}

const outboundSchema = z.array(
  z.object({
    text: z.string(),
    choices: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
    from: z
      .union([z.object({ kind: z.literal('bot') }), z.object({ kind: z.literal('agent'), name: z.string() })])
      .optional(),
  }),
);

/** Messages the owner could not send for another instance (the sender already returned). */
export interface WebUndeliveredReport {
  channel: typeof WHATSAPP_WEB_CHANNEL;
  /** The customer's sender id. Not for logs: use `pseudonym`. */
  recipient: string;
  undelivered: number;
  /** Our error code (e.g. `WHATSAPP_WEB_NOT_CONNECTED`). */
  reason: string;
}

export interface WhatsAppWebServiceDeps {
  session: string;
  allowGroups: boolean;
  /** This instance's unique token for the socket lease. */
  instanceId: string;
  socketFactory: SocketFactory;
  stores: Pick<Stores, 'whatsappAuth' | 'leases' | 'dedup' | 'conversations' | 'whatsappBoard'>;
  engine: {
    handle(inbound: InboundMessage, channel: ChannelInfo): Promise<EngineOutcome>;
    humanReplied(channelName: string, senderId: string, text: string): Promise<void>;
  };
  clock: Clock;
  rng: Rng;
  logger: Logger;
  leaseTtlMs?: number;
  leaseTickMs?: number;
  boardPollMs?: number;
  backoff?: BackoffOptions;
  pacing?: PacingOptions;
  /** The connection stopped for good: tell supervisors (the session is already wiped when it must be). */
  onStopped?: (reason: StopReason) => void;
  /** Messages queued for the owner that it could not send (noted on the customer's ticket). */
  onUndelivered?: (report: WebUndeliveredReport) => Promise<void>;
}

/**
 * WhatsApp Web across app instances. Exactly one instance holds the socket (`SocketOwner`, a
 * lease in the store); the others still serve the console and the engine, so:
 *
 * - the owner posts its connection status on the store's board every second (QR, pairing code,
 *   open, stopped) and any instance's console reads it (`view`);
 * - console actions (pairing code, log out, connect) and outbound messages composed on another
 *   instance (agent replies, CSAT) are queued on the board, and the owner carries them out within
 *   a poll; on the owner they run at once;
 * - customers' messages arrive only on the owner, which runs them through the engine like any
 *   channel; `fromMe` messages typed on the business phone pause the bot (`engine.humanReplied`);
 * - a stop (logged out, banned, replaced) alerts supervisors once and never loops; logged out or a
 *   bad session wipes the stored login so the next connect shows a new QR.
 */
export class WhatsAppWebService implements ChannelSender {
  readonly name = WHATSAPP_WEB_CHANNEL;
  readonly capabilities = whatsappWebCapabilities;
  readonly channel: WhatsAppWebChannel;
  private readonly owner: SocketOwner;
  private readonly pollMs: number;
  private poller?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private lastError?: string;

  constructor(private readonly deps: WhatsAppWebServiceDeps) {
    const { stores, session, logger } = deps;
    this.pollMs = deps.boardPollMs ?? WHATSAPP_WEB_BOARD_POLL_MS;
    this.channel = new WhatsAppWebChannel({
      socketFactory: deps.socketFactory,
      engine: deps.engine,
      dedup: stores.dedup,
      clock: deps.clock,
      rng: deps.rng,
      logger,
      allowGroups: deps.allowGroups,
      backoff: deps.backoff,
      pacing: deps.pacing,
      hasWrittenFirst: async (senderId) =>
        (await stores.conversations.get(conversationId(WHATSAPP_WEB_CHANNEL, senderId))) !== null,
      onHumanReply: (senderId, text) => deps.engine.humanReplied(WHATSAPP_WEB_CHANNEL, senderId, text),
      onStopped: async (reason, clearAuth) => {
        if (clearAuth) await stores.whatsappAuth.clear(session);
        deps.onStopped?.(reason);
      },
    });
    this.channel.on('status', () => void this.postStatus());
    this.owner = new SocketOwner({
      leases: stores.leases,
      name: `${WHATSAPP_WEB_CHANNEL}:${session}`,
      owner: deps.instanceId,
      ttlMs: deps.leaseTtlMs ?? WHATSAPP_WEB_LEASE_TTL_MS,
      tickMs: deps.leaseTickMs ?? WHATSAPP_WEB_LEASE_TICK_MS,
      start: async () => {
        logger.info({ channel: WHATSAPP_WEB_CHANNEL, instance: deps.instanceId }, 'whatsapp web socket owned here');
        await this.channel.connect();
      },
      stop: async () => {
        logger.warn({ channel: WHATSAPP_WEB_CHANNEL, instance: deps.instanceId }, 'whatsapp web socket lease lost');
        await this.channel.disconnect();
      },
      onError: (err) => logger.warn({ err, channel: WHATSAPP_WEB_CHANNEL }, 'whatsapp web lease tick failed'),
    });
  }

  /** Takes part in the lease (the owner opens the socket) and starts polling the board. */
  async start(): Promise<void> {
    await this.owner.start();
    this.poller = setInterval(() => void this.poll(), this.pollMs);
  }

  /** True while this instance holds the socket lease. */
  get ownsSocket(): boolean {
    return this.owner.isOwner;
  }

  /** One board round on the owner: refresh the posted status, carry out queued requests. */
  poll(): Promise<void> {
    if (!this.owner.isOwner) return Promise.resolve();
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    try {
      await this.postStatus();
      const requests = await this.deps.stores.whatsappBoard.takeRequests(this.deps.session);
      for (const request of requests) await this.carryOut(request);
    } catch (err) {
      this.deps.logger.warn({ err, channel: WHATSAPP_WEB_CHANNEL }, 'whatsapp web board poll failed');
    }
  }

  private async postStatus(): Promise<void> {
    if (!this.owner.isOwner) return;
    const posted: PostedStatus = { connection: this.channel.connection };
    if (this.lastError) posted.lastError = this.lastError;
    // A few polls' worth: a dead owner's status vanishes quickly, a slow poll does not blink it.
    await this.deps.stores.whatsappBoard
      .setStatus(this.deps.session, posted, this.pollMs * 5)
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'whatsapp web status not posted'));
  }

  /** Runs one request on the owner; a failure is kept for the console (`lastError`) and logged. */
  private async carryOut(request: WhatsAppWebRequest): Promise<void> {
    try {
      switch (request.kind) {
        case 'pairing_code':
          await this.channel.requestPairingCode(request.phone);
          break;
        case 'logout':
          await this.channel.logout();
          break;
        case 'connect':
          await this.channel.restart();
          break;
        case 'send':
          await this.sendQueued(request.recipient, request.messages);
          return;
      }
      this.lastError = undefined;
    } catch (err) {
      this.lastError = err instanceof AppError ? err.message : 'The request failed';
      this.deps.logger.warn({ err, request: request.kind }, 'whatsapp web request failed');
    }
    await this.postStatus();
  }

  private async sendQueued(recipient: string, raw: unknown[]): Promise<void> {
    const parsed = outboundSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.logger.warn({ conversation: pseudonym(conversationId(this.name, recipient)) }, 'queued send malformed');
      return;
    }
    try {
      await this.channel.send(recipient, parsed.data);
    } catch (err) {
      this.deps.logger.warn(
        { err, conversation: pseudonym(conversationId(this.name, recipient)) },
        'whatsapp web queued send failed',
      );
      await this.deps.onUndelivered?.({
        channel: this.name,
        recipient,
        undelivered: parsed.data.length,
        reason: err instanceof AppError ? err.code : 'send failed',
      });
    }
  }

  /** What the console shows, from whichever instance answers. */
  async view(): Promise<WhatsAppWebView> {
    const { stores, session, instanceId } = this.deps;
    const [owner, posted] = await Promise.all([
      stores.leases.holder(`${WHATSAPP_WEB_CHANNEL}:${session}`),
      stores.whatsappBoard.getStatus(session) as Promise<PostedStatus | null>,
    ]);
    const view: WhatsAppWebView = {
      session,
      owner,
      ownedHere: owner === instanceId && this.owner.isOwner,
      // The owner's own status is fresher than its last post.
      connection: this.owner.isOwner ? this.channel.connection : (posted?.connection ?? null),
    };
    const lastError = this.owner.isOwner ? this.lastError : posted?.lastError;
    if (lastError) view.lastError = lastError;
    return view;
  }

  /**
   * A console action: carried out here when this instance owns the socket, else queued for the
   * owner (`queued: true`; the console sees the result in `view` within a poll).
   */
  async act(request: Exclude<WhatsAppWebRequest, { kind: 'send' }>): Promise<{ queued: boolean }> {
    if (this.owner.isOwner) {
      await this.carryOut(request);
      if (this.lastError) throw new AppError('WHATSAPP_WEB_NOT_CONNECTED', this.lastError);
      return { queued: false };
    }
    if (!(await this.deps.stores.leases.holder(`${WHATSAPP_WEB_CHANNEL}:${this.deps.session}`))) {
      throw new AppError('WHATSAPP_WEB_NOT_CONNECTED', 'No instance holds the WhatsApp Web socket right now');
    }
    await this.deps.stores.whatsappBoard.request(this.deps.session, request);
    return { queued: true };
  }

  /** `ChannelSender`: only to numbers that wrote first, and only while some instance is connected. */
  async assertCanSend(recipient: string): Promise<void> {
    await this.channel.assertCanSend(recipient);
    if (this.channel.isOpen) return;
    const posted = (await this.deps.stores.whatsappBoard.getStatus(this.deps.session)) as PostedStatus | null;
    if (posted?.connection.state !== 'open') throw new AppError('WHATSAPP_WEB_NOT_CONNECTED');
  }

  /** `ChannelSender`: sent here when the socket is here, else queued for the owner. */
  async send(recipient: string, messages: OutboundMessage[]): Promise<void> {
    if (this.channel.isOpen) return this.channel.send(recipient, messages);
    await this.assertCanSend(recipient);
    await this.deps.stores.whatsappBoard.request(this.deps.session, { kind: 'send', recipient, messages });
  }

  /** Stops polling, closes the socket and releases the lease (another instance takes over). */
  async close(): Promise<void> {
    clearInterval(this.poller);
    await this.polling;
    await this.owner.close();
    await this.channel.close();
  }
}
