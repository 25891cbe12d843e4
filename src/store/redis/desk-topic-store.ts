import type { DeskTopic, DeskTopicStore } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * Two strings per link (ticket → `<chatId>:<threadId>`, topic → ticket id), written by one
 * `MSETNX`: a single command, so atomic without a script, and it sets both or neither (a ticket or
 * a topic that is already linked keeps its link). Both keys carry the `{desk}` hash tag.
 */
export class RedisDeskTopicStore implements DeskTopicStore {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async link(ticketId: string, topic: DeskTopic): Promise<boolean> {
    const set = await guard(
      this.client.msetnx(
        this.keys.deskTopic(ticketId),
        `${topic.chatId}:${topic.threadId}`,
        this.keys.deskTicket(topic.chatId, topic.threadId),
        ticketId,
      ),
    );
    return set === 1;
  }

  async topicOf(ticketId: string): Promise<DeskTopic | null> {
    const value = await guard(this.client.get(this.keys.deskTopic(ticketId)));
    const match = value === null ? null : /^(-?\d+):(\d+)$/.exec(value);
    return match ? { chatId: Number(match[1]), threadId: Number(match[2]) } : null;
  }

  async ticketOf(topic: DeskTopic): Promise<string | null> {
    return guard(this.client.get(this.keys.deskTicket(topic.chatId, topic.threadId)));
  }
}
