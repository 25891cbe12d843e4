import type { Conversation } from '../../domain/conversation';
import { AppError } from '../../domain/errors';
import type { ConversationStore } from '../types';

/**
 * Conversations in a `Map`, with compare-and-set on `version`. Values are deep-copied on the way
 * in and out, so a caller mutating its object never changes the stored state behind the CAS.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly byId = new Map<string, Conversation>();

  async get(id: string): Promise<Conversation | null> {
    const stored = this.byId.get(id);
    return stored ? structuredClone(stored) : null;
  }

  async save(conv: Conversation): Promise<Conversation> {
    const storedVersion = this.byId.get(conv.id)?.version ?? 0;
    if (storedVersion !== conv.version) throw new AppError('STORE_CONFLICT');
    const saved: Conversation = { ...conv, version: conv.version + 1 };
    this.byId.set(conv.id, structuredClone(saved));
    return saved;
  }
}
