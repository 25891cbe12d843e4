import { EventEmitter } from 'node:events';
import type { Clock, Rng } from '../../domain/clock';
import { AppError } from '../../domain/errors';
import type { InboundMessage, OutboundMessage } from '../../domain/message';
import type { EngineOutcome } from '../../engine/outcome';
import type { ChannelInfo } from '../../engine/engine';
import type { Logger } from '../../observability/logger';
import { pseudonym } from '../../observability/logger';
import type { DedupStore } from '../../store/types';
import type { ChannelSender } from '../types';
import { nextSendAt, DEFAULT_PACING, type PacingOptions } from './pacing';
import { decideReconnect, type BackoffOptions, type StopReason } from './reconnect';
import {
  classifyMessage,
  encodeMessage,
  jidOfSender,
  jidUser,
  WHATSAPP_WEB_CHANNEL,
  whatsappWebCapabilities,
} from './whatsapp-web.codec';

/** A seen message id is kept this long (WhatsApp re-delivers after reconnects). */
export const MESSAGE_DEDUP_TTL_MS = 3 * 24 * 60 * 60_000;

/**
 * The slice of Baileys' `WASocket` the adapter uses. The real one comes from `makeWASocket`
 * (through a `SocketFactory`); tests pass a fake with an `EventEmitter` as `ev`.
 */
export interface WaSocketLike {
  ev: {
    on(
      event: 'connection.update',
      listener: (update: { connection?: string; qr?: string; lastDisconnect?: { error?: unknown } }) => void,
    ): void;
    on(event: 'creds.update', listener: (update: unknown) => void): void;
    on(event: 'messages.upsert', listener: (upsert: { messages: unknown[]; type: string }) => void): void;
  };
  sendMessage(jid: string, content: { text: string }): Promise<{ key?: { id?: string | null } } | undefined>;
  end(error?: Error): void;
  /** The logged-in account (`id` is its JID), once known. */
  user?: { id?: string | null } | null;
  /** Asks WhatsApp for an 8-character code to type on the phone instead of scanning the QR. */
  requestPairingCode?(phoneNumber: string): Promise<string>;
  /** Unlinks this device; the socket then closes with `loggedOut`. */
  logout?(): Promise<void>;
}

/** Opens a socket with the current login state (production: `baileys-socket.ts`, not unit-tested). */
export type SocketFactory = () => Promise<WaSocketLike>;

/** What the console shows about the connection. */
export type ConnectionStatus =
  | { state: 'idle' | 'connecting' }
  /** Logged in; `me` is the business number (digits), when WhatsApp said. */
  | { state: 'open'; me?: string }
  /** Waiting for the QR to be scanned (WhatsApp rotates it every ~20 s). */
  | { state: 'qr'; qr: string }
  /** Waiting for this code to be typed on the phone (Linked devices ► Link with phone number). */
  | { state: 'pairing'; code: string; phone: string }
  | { state: 'stopped'; reason: StopReason };

export interface WhatsAppWebDeps {
  socketFactory: SocketFactory;
  engine: { handle(inbound: InboundMessage, channel: ChannelInfo): Promise<EngineOutcome> };
  dedup: DedupStore;
  clock: Clock;
  rng: Rng;
  logger: Logger;
  allowGroups?: boolean;
  backoff?: BackoffOptions;
  pacing?: PacingOptions;
  /**
   * True when this customer wrote to us first (a conversation exists): WhatsApp bans numbers that
   * message strangers, so nothing goes to anyone else. Checked once per number, then remembered.
   */
  hasWrittenFirst?: (senderId: string) => Promise<boolean>;
  /** A human typed in this conversation on the business phone: the bot must pause there. */
  onHumanReply?: (senderId: string, text: string) => Promise<void>;
  /** The connection stopped for good (logged out, banned, replaced…): alert the console. */
  onStopped?: (reason: StopReason, clearAuth: boolean) => Promise<void>;
  /** Timers, injectable so tests need not wait for real backoff. */
  setTimer?: (fn: () => void, ms: number) => NodeJS.Timeout;
}

/**
 * The WhatsApp Web channel's I/O over one Baileys socket: reads `messages.upsert` (live `notify`
 * traffic only), de-duplicates on the message id, runs customer messages through the engine and
 * sends its replies paced per chat; a `fromMe` message that we did not send is a human on the
 * business phone (`onHumanReply`). On close it follows `decideReconnect`: a new socket at once or
 * after backoff, or a stop with `onStopped` (never a reconnect loop). It only writes to numbers
 * that wrote first (`WHATSAPP_WEB_NOT_OPTED_IN` otherwise).
 */
export class WhatsAppWebChannel extends EventEmitter implements ChannelSender {
  readonly name = WHATSAPP_WEB_CHANNEL;
  readonly capabilities = whatsappWebCapabilities;
  private socket?: WaSocketLike;
  private status: ConnectionStatus = { state: 'idle' };
  private failures = 0;
  private readonly sentIds = new Set<string>();
  private readonly wroteFirst = new Set<string>();
  private readonly lastSent = new Map<string, number>();
  private chains = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly deps: WhatsAppWebDeps) {
    super();
  }

  get connection(): ConnectionStatus {
    return this.status;
  }

  /** Opens a socket and wires its events. */
  async connect(): Promise<void> {
    if (this.closed || this.socket) return;
    this.setStatus({ state: 'connecting' });
    const socket = await this.deps.socketFactory();
    this.socket = socket;
    socket.ev.on('connection.update', (u) => this.onConnection(socket, u));
    socket.ev.on('messages.upsert', (upsert) => void this.onUpsert(upsert));
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.emit('status', status);
  }

  private onConnection(
    socket: WaSocketLike,
    u: { connection?: string; qr?: string; lastDisconnect?: { error?: unknown } },
  ): void {
    if (socket !== this.socket) return;
    if (u.qr) this.setStatus({ state: 'qr', qr: u.qr });
    if (u.connection === 'open') {
      this.failures = 0;
      const me = socket.user?.id ? jidUser(socket.user.id) : undefined;
      this.setStatus(me ? { state: 'open', me } : { state: 'open' });
    }
    if (u.connection !== 'close') return;
    this.socket = undefined;
    if (this.closed) return;
    const err = u.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined;
    this.failures++;
    const decision = decideReconnect(err?.output?.statusCode, this.failures, this.deps.rng.next(), this.deps.backoff);
    if (decision.action === 'stop') {
      this.setStatus({ state: 'stopped', reason: decision.reason });
      this.deps.logger.error(
        { channel: WHATSAPP_WEB_CHANNEL, reason: decision.reason },
        'whatsapp web stopped; no reconnect',
      );
      void this.deps.onStopped?.(decision.reason, decision.clearAuth).catch(() => undefined);
      return;
    }
    const reconnect = () =>
      void this.connect().catch((e: unknown) => this.deps.logger.error({ err: e }, 'whatsapp web reconnect failed'));
    // Not "open" any more while the backoff runs: the console says so, and sends wait for the socket.
    this.setStatus({ state: 'connecting' });
    if (decision.delayMs === 0) reconnect();
    else (this.deps.setTimer ?? setTimeout)(reconnect, decision.delayMs);
  }

  private async onUpsert(upsert: { messages: unknown[]; type: string }): Promise<void> {
    for (const raw of upsert.messages) {
      const c = classifyMessage(raw, this.deps.clock.now(), { allowGroups: this.deps.allowGroups });
      if (c.kind === 'ignore') continue;
      if (c.kind === 'from_me') {
        const keyId = c.messageId.slice(c.messageId.lastIndexOf(':') + 1);
        if (this.sentIds.has(keyId)) continue; // our own reply, echoed back
        if (!(await this.deps.dedup.firstSeen(`whatsapp-web:${c.messageId}`, MESSAGE_DEDUP_TTL_MS))) continue;
        await this.deps.onHumanReply?.(c.senderId, c.text).catch(() => undefined);
        continue;
      }
      // History and own-device sync (`append`) are not new customer messages.
      if (upsert.type !== 'notify') continue;
      const key = `whatsapp-web:${c.inbound.messageId}`;
      if (!(await this.deps.dedup.firstSeen(key, MESSAGE_DEDUP_TTL_MS))) continue;
      this.wroteFirst.add(c.inbound.senderId);
      try {
        const outcome = await this.deps.engine.handle(c.inbound, {
          name: WHATSAPP_WEB_CHANNEL,
          capabilities: whatsappWebCapabilities,
        });
        if (outcome.replies.length) void this.send(c.inbound.senderId, outcome.replies).catch(() => undefined);
      } catch (err) {
        await this.deps.dedup.forget(key);
        this.deps.logger.error(
          { conversation: pseudonym(`${WHATSAPP_WEB_CHANNEL}:${c.inbound.senderId}`), err },
          'whatsapp web message failed',
        );
      }
    }
  }

  /** True while a socket is logged in and open on this instance. */
  get isOpen(): boolean {
    return !!this.socket && this.status.state === 'open';
  }

  /** `ChannelSender`: the agent hears before anything is recorded that this number never wrote. */
  async assertCanSend(recipient: string): Promise<void> {
    if (this.wroteFirst.has(recipient)) return;
    if (await this.deps.hasWrittenFirst?.(recipient)) {
      this.wroteFirst.add(recipient);
      return;
    }
    throw new AppError('WHATSAPP_WEB_NOT_OPTED_IN');
  }

  /**
   * Logs in by pairing code for `phone` (digits with country code) instead of the QR: only while
   * the socket waits for a login (a QR is showing). The code goes to the status for the console.
   */
  async requestPairingCode(phone: string): Promise<string> {
    const socket = this.socket;
    if (!socket?.requestPairingCode || this.status.state === 'open') {
      throw new AppError(
        'WHATSAPP_WEB_NOT_CONNECTED',
        'A pairing code can be asked for only while waiting for a login',
      );
    }
    const code = await socket.requestPairingCode(phone);
    this.setStatus({ state: 'pairing', code, phone });
    return code;
  }

  /** Unlinks this device (the close that follows wipes the session through `onStopped`). */
  async logout(): Promise<void> {
    const socket = this.socket;
    if (!socket) throw new AppError('WHATSAPP_WEB_NOT_CONNECTED');
    if (socket.logout) await socket.logout();
    else socket.end();
  }

  /** Connects again after a stop (the console's "connect"); a no-op while a socket is open. */
  async restart(): Promise<void> {
    if (this.closed || this.socket) return;
    this.failures = 0;
    await this.connect();
  }

  /** `ChannelSender`: paced per chat, only to numbers that wrote first. */
  async send(recipient: string, messages: OutboundMessage[]): Promise<void> {
    await this.assertCanSend(recipient);
    const texts = messages.flatMap((m) => encodeMessage(m));
    const previous = this.chains.get(recipient) ?? Promise.resolve();
    const next = previous.then(async () => {
      for (const text of texts) {
        const socket = this.socket;
        if (!socket) throw new AppError('WHATSAPP_WEB_NOT_CONNECTED');
        const now = this.deps.clock.now();
        const at = nextSendAt(
          this.lastSent.get(recipient),
          now,
          this.deps.rng.next(),
          this.deps.pacing ?? DEFAULT_PACING,
        );
        if (at > now) await new Promise((r) => (this.deps.setTimer ?? setTimeout)(() => r(undefined), at - now));
        const sent = await socket.sendMessage(jidOfSender(recipient), { text });
        if (sent?.key?.id) this.sentIds.add(sent.key.id);
        this.lastSent.set(recipient, this.deps.clock.now());
      }
    });
    this.chains.set(
      recipient,
      next.catch(() => undefined),
    );
    return next;
  }

  /**
   * Closes this socket without stopping the channel for good (the lease moved to another
   * instance): no reconnect follows, and `connect` may open a new one later.
   */
  async disconnect(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    socket?.end();
    this.setStatus({ state: 'idle' });
  }

  /** Closes the socket (no reconnect). */
  async close(): Promise<void> {
    this.closed = true;
    this.socket?.end();
    this.socket = undefined;
  }
}
