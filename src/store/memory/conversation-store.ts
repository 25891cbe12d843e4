import type { Conversation } from '../../domain/conversation';
import { AppError } from '../../domain/errors';
import type { ConversationEdit, ConversationStore, LockOptions } from '../types';
import type { MemoryOrderedLock } from './ordered-lock';

/**
 * Conversations in a `Map`, with compare-and-set on `version`. Values are deep-copied on the way
 * in and out, so a caller mutating its object never changes the stored state behind the CAS.
 * `withLock` takes the same `MemoryOrderedLock` the `Stores` expose as `lock`, so it excludes
 * every `lock.run` on the same id.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly byId = new Map<string, Conversation>();

  constructor(private readonly lock: MemoryOrderedLock) {}

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

  async withLock<T>(id: string, fn: (edit: ConversationEdit) => Promise<T>, options: LockOptions = {}): Promise<T> {
    return this.lock.runReleasable(
      id,
      async (release) => {
        let saved = false;
        return fn({
          stored: await this.get(id),
          saveAndRelease: async (conv) => {
            if (saved) throw new AppError('INTERNAL', 'saveAndRelease called twice');
            saved = true;
            try {
              return await this.save(conv);
            } finally {
              release();
            }
          },
        });
      },
      options,
    );
  }
}
