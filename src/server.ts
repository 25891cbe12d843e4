import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { DEMO_USERS, generateDemoPassword, seedDemoUsers } from './auth/demo-users';
import { StaffDirectory } from './auth/directory';
import { AuthService } from './auth/service';
import type { Config } from './config';
import { loadCanned, type CannedResponse } from './content/canned';
import type { Content } from './content/model';
import { AppError } from './domain/errors';
import { ContentService } from './content/service';
import { mathRng, systemClock, type Clock, type Rng } from './domain/clock';
import { ChannelRegistry } from './channels/registry';
import { RestOutboxSender } from './channels/rest/rest.adapter';
import { TelegramChannel, type UndeliveredReport } from './channels/telegram/telegram.adapter';
import { TelegramDesk } from './channels/telegram/desk.adapter';
import {
  WhatsAppCloudChannel,
  type CloudRetryOptions,
  type CloudUndeliveredReport,
} from './channels/whatsapp-cloud/whatsapp-cloud.adapter';
import type { RetryOptions } from './channels/telegram/retry';
import { baileysSocketFactory } from './channels/whatsapp-web/baileys-socket';
import { whatsappWebStopMessage } from './channels/whatsapp-web/reconnect';
import type { SocketFactory } from './channels/whatsapp-web/whatsapp-web.adapter';
import { WhatsAppWebService, type WebUndeliveredReport } from './channels/whatsapp-web/whatsapp-web.service';
import { conversationId } from './domain/conversation';
import { buildBrainInTurns, type Brain } from './engine/brain';
import { Engine } from './engine/engine';
import { HandoffService } from './handoff/service';
import { LivePublisher } from './handoff/live-publisher';
import { SlaWatcher } from './handoff/sla-watcher';
import { createApp } from './http/app';
import { createLogger, pseudonym, type Logger } from './observability/logger';
import { createStores } from './store';
import type { Stores } from './store/types';
import type { Ticket } from './domain/ticket';

export interface RunningServer {
  /** The express app (tests list its routes). */
  app: Express;
  url: string;
  port: number;
  stores: Stores;
  content: ContentService;
  brain: () => Brain;
  logger: Logger;
  /** The agent side of handoffs (claim, reply, resolve…) and its events. */
  handoff: HandoffService;
  /** The customer side: the per-message pipeline (also asks the CSAT question after a resolve). */
  engine: Engine;
  /** Every channel the app can send through later (agent replies, the CSAT question). */
  channels: ChannelRegistry;
  /** The Telegram channel, when `TELEGRAM_BOT_TOKEN` is set. */
  telegram?: TelegramChannel;
  /** The WhatsApp Cloud API channel, when `WHATSAPP_CLOUD_ACCESS_TOKEN` is set. */
  whatsapp?: WhatsAppCloudChannel;
  /** WhatsApp Web (Baileys), when `WHATSAPP_WEB_ENABLED` (and the risk acknowledged). */
  whatsappWeb?: WhatsAppWebService;
  /** The Telegram agents' desk (forum topics), when `TELEGRAM_AGENTS_CHAT_ID` is set. */
  desk?: TelegramDesk;
  /** The handoff timers (SLA breaches, offline sweep, auto-assignment), ticking every `HANDOFF_TICK_MS`. */
  slaWatcher: SlaWatcher;
  auth: AuthService;
  /**
   * The demo console logins, when this start created them (embedded default: memory store, not
   * production). `passwordGenerated` is true when DEMO_PASSWORD was unset and `password` was drawn
   * at random (the banner prints it then, and only then).
   */
  demoLogins?: { users: typeof DEMO_USERS; password: string; passwordGenerated: boolean };
  close(): Promise<void>;
}

/** How long an idle keep-alive connection stays open (longer than common load-balancer idle times). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** How often each instance runs the handoff timers. The store is the record, so any instance may tick. */
export const HANDOFF_TICK_MS = 5_000;
/** An agent whose console stopped sending heartbeats this long ago loses their open tickets to the queue. */
export const PRESENCE_GRACE_MS = 60_000;

/** Things tests (and only tests) replace: time, randomness, the log destination. */
export interface ServerOverrides {
  clock?: Clock;
  rng?: Rng;
  logger?: Logger;
  /** The live stream's heartbeat (and session re-check) period; 15 s otherwise. */
  sseHeartbeatMs?: number;
  /** Faster Telegram retries, so tests of exhausted retries do not wait seconds. */
  telegramRetry?: Partial<RetryOptions>;
  /** Faster WhatsApp Cloud API retries, for the same reason. */
  whatsappRetry?: Partial<CloudRetryOptions>;
  /** A fake Baileys socket instead of the real one (tests drive WhatsApp Web through it). */
  whatsappWebSocket?: SocketFactory;
  /** Shorter lease and board timings, so tests of a take-over need not wait 30 s. */
  whatsappWebTiming?: { leaseTtlMs?: number; leaseTickMs?: number; boardPollMs?: number };
  /** This instance's lease token (random otherwise). */
  instanceId?: string;
}

/**
 * Wires config ► stores ► content (+ NLU training on every load) ► engine ► HTTP, and listens.
 * `main.ts` calls this; integration tests call it too, so they exercise the real wiring.
 */
export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const clock = overrides.clock ?? systemClock;
  const rng = overrides.rng ?? mathRng;
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });

  const stores = await createStores({ redisUrl: config.redisUrl, clock });
  const auth = new AuthService({
    users: stores.users,
    sessions: stores.sessions,
    rateLimiter: stores.rateLimiter,
    clock,
    sessionTtlMs: config.sessionTtlMs,
  });
  let demoLogins: RunningServer['demoLogins'];
  if (stores.kind === 'memory' && config.mode !== 'production') {
    const password = config.demoPassword ?? generateDemoPassword();
    try {
      demoLogins = { users: await seedDemoUsers(auth, password), password, passwordGenerated: !config.demoPassword };
    } catch (err) {
      await stores.close();
      throw err;
    }
  }
  // Each content version gets its model trained BEFORE it goes live (a failed training keeps the
  // old pair); keying models by content object makes the swap of both a single step.
  const brains = new WeakMap<Content, Brain>();
  const content = new ContentService({
    root: config.contentDir,
    prepare: async (next) => {
      brains.set(next, await buildBrainInTurns(next));
    },
  });
  const brainIfReady = (): Brain | undefined => {
    try {
      return brains.get(content.current());
    } catch {
      return undefined;
    }
  };
  content.on('updated', (c: Content) =>
    logger.info({ version: c.version, intents: c.intents.length, trainMs: brains.get(c)?.trainMs }, 'content reloaded'),
  );
  content.on('rejected', (errors: { file: string; line: number; col: number; message: string }[]) =>
    logger.warn(
      { errors: errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.message}`) },
      'content change rejected; the last good content stays live',
    ),
  );
  let canned: readonly CannedResponse[] = [];
  try {
    await content.start();
    canned = await loadCannedOrThrow(config.contentDir);
  } catch (err) {
    content.close();
    await stores.close();
    throw err;
  }
  // Canned responses follow every saved content change; a broken edit keeps the last good ones.
  content.on('files_changed', () => {
    loadCannedOrThrow(config.contentDir).then(
      (next) => (canned = next),
      (err: unknown) =>
        logger.warn({ errors: (err as AppError).details }, 'canned responses rejected; the last good ones stay live'),
    );
  });
  if (config.contentWatch) content.watch();

  const current = (): Brain => {
    const brain = brainIfReady();
    if (!brain) throw new AppError('CONTENT_NOT_LOADED');
    return brain;
  };
  // Messages sent later (agent replies, the CSAT question) go out through the customer's channel;
  // the REST channel (web chat) cannot push, so its messages wait in the outbox to be polled.
  let telegram: TelegramChannel | undefined;
  const whatsapp: WhatsAppCloudChannel | undefined = config.whatsappCloud
    ? new WhatsAppCloudChannel({
        config: config.whatsappCloud,
        engine: {
          handle: (inbound, channel) => engine.handle(inbound, channel),
          choiceExpired: (inbound, channel) => engine.choiceExpired(inbound, channel),
        },
        dedup: stores.dedup,
        conversations: stores.conversations,
        receipts: stores.receipts,
        clock,
        logger,
        retry: overrides.whatsappRetry,
        onUndelivered: (report) => recordUndelivered(report),
      })
    : undefined;
  const whatsappWeb: WhatsAppWebService | undefined = config.whatsappWeb
    ? new WhatsAppWebService({
        session: config.whatsappWeb.session,
        allowGroups: config.whatsappWeb.allowGroups,
        instanceId: overrides.instanceId ?? randomUUID(),
        socketFactory:
          overrides.whatsappWebSocket ??
          baileysSocketFactory({ auth: stores.whatsappAuth, session: config.whatsappWeb.session, logger }),
        stores,
        engine: {
          handle: (inbound, channel) => engine.handle(inbound, channel),
          humanReplied: (channelName, senderId, text) => engine.humanReplied(channelName, senderId, text),
        },
        clock,
        rng,
        logger,
        ...overrides.whatsappWebTiming,
        onStopped: (reason) => live.channelAlert('whatsapp_web_stopped', whatsappWebStopMessage(reason)),
        onUndelivered: (report) => recordUndelivered(report),
      })
    : undefined;
  const channels = new ChannelRegistry([
    new RestOutboxSender(stores.outbox, clock),
    ...(whatsapp ? [whatsapp] : []),
    ...(whatsappWeb ? [whatsappWeb] : []),
    ...(config.telegram
      ? [
          (telegram = new TelegramChannel({
            token: config.telegram.token,
            apiRoot: config.telegram.apiRoot,
            engine: {
              handle: (inbound, channel) => engine.handle(inbound, channel),
              choiceExpired: (inbound, channel) => engine.choiceExpired(inbound, channel),
            },
            dedup: stores.dedup,
            clock,
            logger,
            retry: overrides.telegramRetry,
            onUndelivered: (report) => recordUndelivered(report),
            desk: config.telegram.desk
              ? { chatId: config.telegram.desk.chatId, accept: (update) => desk!.accept(update) }
              : undefined,
          })),
        ]
      : []),
  ]);
  /**
   * A message the customer's channel refused even after retries: logged (pseudonymously) by the
   * adapter, and noted on the customer's open (or just resolved) ticket, where agents see it.
   */
  const recordUndelivered = async (
    report: UndeliveredReport | CloudUndeliveredReport | WebUndeliveredReport,
  ): Promise<void> => {
    const id = conversationId(report.channel, report.recipient);
    const conv = await stores.conversations.get(id).catch(() => null);
    const ticketId = conv?.ticketId ?? conv?.resolvedTicket?.id;
    if (!ticketId) {
      logger.warn(
        { conversation: pseudonym(id), undelivered: report.undelivered },
        'undelivered message: no ticket to note it on',
      );
      return;
    }
    await handoff.deliveryFailed(
      ticketId,
      `Not delivered on ${report.channel}: ${report.undelivered} message(s) refused after retries (${report.reason}). The customer has not received them.`,
    );
  };
  const handoff: HandoffService = new HandoffService({
    stores,
    clock,
    routing: () => current().content.routing,
    logger,
    deliver: (to, messages) => channels.send(to.channel, to.senderId, messages),
    assertCanDeliver: (to) => channels.assertCanSend(to.channel, to.senderId),
    afterResolve: (next) => engine.askCsat(next),
  });
  const slaWatcher = new SlaWatcher({
    stores,
    clock,
    handoff,
    presenceGraceMs: PRESENCE_GRACE_MS,
    logger,
    warnCustomer: (ticket) => engine.warnSlaAtRisk(ticket),
  });
  // The console's live stream: every handoff event goes to the event bus (all instances).
  const directory = new StaffDirectory(stores.users, clock);
  const live = new LivePublisher({
    handoff,
    tickets: stores.tickets,
    bus: stores.events,
    clock,
    displayName: (username) => directory.displayName(username),
    logger,
  });
  // The agents' desk in Telegram: one forum topic per handoff, worked through the same service.
  const desk: TelegramDesk | undefined =
    telegram && config.telegram?.desk
      ? new TelegramDesk({
          api: telegram.api,
          chatId: config.telegram.desk.chatId,
          agents: config.telegram.desk.agents,
          handoff,
          stores,
          displayName: (username) => directory.displayName(username),
          routing: () => current().content.routing,
          clock,
          logger,
        })
      : undefined;
  // Not awaited: the engine still holds the conversation lock the assignment needs next.
  const autoAssign = (ticket: Ticket) =>
    void handoff.autoAssign(ticket).catch((err: unknown) => logger.warn({ err }, 'auto-assignment failed'));
  const engine: Engine = new Engine({
    stores,
    brain: current,
    clock,
    rng,
    logger,
    maxMessageChars: config.maxMessageChars,
    handoff,
    sender: channels,
    // The console hears of the new ticket before auto-assignment can change it.
    // The desk's topic is queued first, so the assignment's news is posted after the packet.
    onTicketCreated: (ticket) => {
      void desk?.newHandoff(ticket);
      void live.newHandoff(ticket).then(() => autoAssign(ticket));
    },
    onTicketReopened: autoAssign,
    onTicketMessage: (ticketId, turn) => {
      void live.customerMessage(ticketId);
      desk?.customerMessage(ticketId, turn);
    },
  });
  const app = createApp({
    sseHeartbeatMs: overrides.sseHeartbeatMs,
    engine,
    stores,
    brain: current,
    brainIfReady,
    clock,
    logger,
    bodyLimitKb: config.bodyLimitKb,
    trustProxy: config.trustProxy,
    auth,
    adminToken: config.adminApiToken,
    secureCookies: config.secureCookies,
    handoff,
    canned: () => canned,
    customerNotesRoles: config.customerNotesRoles,
    telegramWebhook:
      telegram && config.telegram?.mode === 'webhook' && config.telegram.webhookSecret
        ? { secret: config.telegram.webhookSecret, accept: (body) => telegram!.accept(body) }
        : undefined,
    attachments: channels,
    whatsappWebhook:
      whatsapp && config.whatsappCloud
        ? {
            appSecret: config.whatsappCloud.appSecret,
            verifyToken: config.whatsappCloud.verifyToken,
            accept: (body) => whatsapp.accept(body),
          }
        : undefined,
    whatsappWeb,
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  // Idle keep-alive sockets outlive a load balancer's (60 s on most), so the balancer never reuses a
  // socket the app is closing at that instant (a reset webhook means a re-sent update).
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  const port = (server.address() as AddressInfo).port;
  slaWatcher.start(HANDOFF_TICK_MS);
  if (telegram && config.telegram?.mode === 'polling') telegram.startPolling();
  await whatsappWeb?.start();
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;

  return {
    app,
    url,
    port,
    stores,
    content,
    brain: current,
    logger,
    handoff,
    engine,
    channels,
    telegram,
    whatsapp,
    whatsappWeb,
    desk,
    slaWatcher,
    auth,
    demoLogins,
    async close() {
      content.close();
      await slaWatcher.stop();
      await telegram?.stop();
      await whatsapp?.stop();
      await whatsappWeb?.close();
      await desk?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await stores.close();
    },
  };
}

/** The canned responses under `contentDir`, or `CONTENT_INVALID` listing every problem (file:line:col). */
async function loadCannedOrThrow(contentDir: string): Promise<CannedResponse[]> {
  const result = await loadCanned(contentDir);
  if (result.ok) return result.responses;
  throw new AppError('CONTENT_INVALID', 'Canned responses are invalid', { errors: result.problems });
}
