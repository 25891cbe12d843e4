import type { Conversation } from '../../domain/conversation';
import { AppError } from '../../domain/errors';
import type { ConversationStore } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * Conversations as one hash each (`v` = version, `json` = the document). `save` is the
 * compare-and-set script, so two instances saving from the same version never both win.
 */
export class RedisConversationStore implements ConversationStore {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
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
}
