import { systemClock, type Clock } from '../../domain/clock';
import type { Stores } from '../types';
import { MemoryAuditLog } from './audit-log';
import { MemoryConversationStore } from './conversation-store';
import { MemoryCustomerNoteStore } from './customer-note-store';
import { MemoryDedupStore } from './dedup-store';
import { MemoryDeskTopicStore } from './desk-topic-store';
import { MemoryEventBus } from './event-bus';
import type { OutboxOptions } from '../outbox-cursor';
import { MemoryOrderedLock } from './ordered-lock';
import { MemoryOutboxStore } from './outbox-store';
import { MemoryPresenceStore } from './presence-store';
import { MemoryRateLimiter } from './rate-limiter';
import { MemoryReceiptStore } from './receipt-store';
import { MemorySessionStore } from './session-store';
import { MemoryTicketStore } from './ticket-store';
import { MemoryUserStore } from './user-store';
import { MemoryLeaseStore, MemoryTakeoverIndex, MemoryWhatsAppAuthStore, MemoryWhatsAppWebBoard } from './whatsapp-web';

/** The memory stores, with the concrete lock and dedup types exposed for tests and diagnostics. */
export interface MemoryStores extends Stores {
  kind: 'memory';
  lock: MemoryOrderedLock;
  dedup: MemoryDedupStore;
  sessions: MemorySessionStore;
  rateLimiter: MemoryRateLimiter;
  events: MemoryEventBus;
}

/**
 * The embedded default: every store in this process's memory. Correct for ONE process (locks and
 * compare-and-set do not reach other instances) and lost on restart. `clock` drives dedup and
 * outbox expiry, `updatedAt` stamps, session expiry and rate-limit windows, so tests can move a
 * `ManualClock` instead of sleeping.
 *
 * ```ts
 * const stores = createMemoryStores({ clock: new ManualClock(Date.UTC(2025, 0, 6, 9)) });
 * await stores.lock.run('telegram:42', async () => stores.conversations.get('telegram:42'));
 * ```
 */
export function createMemoryStores(options: { clock?: Clock; outbox?: OutboxOptions } = {}): MemoryStores {
  const clock = options.clock ?? systemClock;
  const presence = new MemoryPresenceStore();
  const lock = new MemoryOrderedLock();
  return {
    kind: 'memory',
    conversations: new MemoryConversationStore(lock),
    tickets: new MemoryTicketStore(clock, presence),
    presence,
    outbox: new MemoryOutboxStore(clock, options.outbox),
    dedup: new MemoryDedupStore(clock),
    lock,
    users: new MemoryUserStore(clock),
    sessions: new MemorySessionStore(clock),
    rateLimiter: new MemoryRateLimiter(clock),
    customerNotes: new MemoryCustomerNoteStore(),
    deskTopics: new MemoryDeskTopicStore(),
    audit: new MemoryAuditLog(),
    events: new MemoryEventBus(),
    whatsappAuth: new MemoryWhatsAppAuthStore(),
    leases: new MemoryLeaseStore(clock),
    takeovers: new MemoryTakeoverIndex(),
    whatsappBoard: new MemoryWhatsAppWebBoard(clock),
    receipts: new MemoryReceiptStore(clock),
    async ping() {},
    async close() {},
  };
}
