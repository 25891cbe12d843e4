import type { ConversationState } from '../domain/conversation';
import type { OutboundMessage } from '../domain/message';

/**
 * What the engine did with one inbound message. Channels that answer synchronously (REST) return
 * it; push channels send `replies` through their adapter.
 *
 * `action`:
 * - `answer`: the bot answered from a template;
 * - `clarify`: the bot asked its one clarifying question;
 * - `handoff`: the conversation goes to a human (or waits for identity details first);
 * - `relay`: a human owns the conversation; the message went to the ticket, the bot stayed silent;
 * - `cancel`: the customer typed "batal" while queued; the ticket is cancelled, the bot is back;
 * - `csat`: the customer rated the resolved ticket (1–5); the bot thanked them;
 * - `none`: nothing to do (a re-delivered message, already processed).
 */
export interface EngineOutcome {
  replies: OutboundMessage[];
  action: 'answer' | 'clarify' | 'handoff' | 'relay' | 'cancel' | 'csat' | 'none';
  intent: string | null;
  category: string | null;
  confidence: number | null;
  /** The policy rule that fired (absent for relay / none). */
  rule?: string;
  state: ConversationState;
  conversationId: string;
  ticketId?: string;
  ticketNumber?: string;
  duplicate?: boolean;
}
