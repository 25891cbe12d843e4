import type { Conversation } from '../../domain/conversation';
import { AppError } from '../../domain/errors';
import type { ConversationEdit, ConversationStore, LockOptions } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { RedisOrderedLock } from './ordered-lock';
import type { ScriptedRedis } from './scripts';

/**
 * Conversations as one hash each (`v` = version, `json` = the document). `save` is the
 * compare-and-set script, so two instances saving from the same version never both win.
 * `withLock` runs on the `Stores`' own `RedisOrderedLock` (same keys, same queue), with the read
 * folded into the acquire script (CONVERSATION_LOCK) and the save into the release
 * (CONVERSATION_SAVE_RELEASE): 2 commands where `lock.run` + `get` + `save` take 4.
 */
export class RedisConversationStore implements ConversationStore {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
    private readonly lock: RedisOrderedLock,
  ) {}

  async get(id: string): Promise<Conversation | null> {
    const json = await guard(this.client.hget(this.keys.conversation(id), 'json'));
    return json === null ? null : (JSON.parse(json) as Conversation);
  }

  async save(conv: Conversation): Promise<Conversation> {
    const saved: Conversation = { ...conv, version: conv.version + 1 };
    const ok = await guard(
      this.client.mjConversationSave(this.keys.conversation(conv.id), conv.version, JSON.stringify(saved)),
    );
    if (ok !== 1) throw new AppError('STORE_CONFLICT');
    // Not parsed back: the stored copy lives in Redis, and the document grows with the transcript.
    return saved;
  }

  withLock<T>(id: string, fn: (edit: ConversationEdit) => Promise<T>, options: LockOptions = {}): Promise<T> {
    const key = this.keys.conversation(id);
    return this.lock.hold(
      id,
      options,
      async (h, first) => {
        const reply = await this.client.mjConversationLock(
          h.queueKey,
          h.leaseKey,
          key,
          h.token,
          h.leaseMs,
          h.queueTtlMs,
          first,
        );
        if (reply === 0) return null;
        return { stored: typeof reply === 'string' ? (JSON.parse(reply) as Conversation) : null };
      },
      (hold, { stored }) => {
        let saving = false;
        return fn({
          stored,
          saveAndRelease: async (conv) => {
            if (saving) throw new AppError('INTERNAL', 'saveAndRelease called twice');
            saving = true;
            const saved: Conversation = { ...conv, version: conv.version + 1 };
            const ok = await guard(
              this.client.mjConversationSaveRelease(
                key,
                hold.queueKey,
                hold.leaseKey,
                conv.version,
                JSON.stringify(saved),
                hold.token,
                hold.leaseMs,
              ),
            );
            // The script ran (a failure above leaves the release to `hold`): the lock is gone.
            hold.released();
            if (ok !== 1) throw new AppError('STORE_CONFLICT');
            return saved;
          },
        });
      },
    );
  }
}
