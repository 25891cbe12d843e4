import type { DeskTopic, DeskTopicStore } from '../types';

/** Desk topic links in two `Map`s (ticket → topic, topic → ticket). */
export class MemoryDeskTopicStore implements DeskTopicStore {
  private readonly byTicket = new Map<string, DeskTopic>();
  private readonly byTopic = new Map<string, string>();

  async link(ticketId: string, topic: DeskTopic): Promise<boolean> {
    const key = topicKey(topic);
    if (this.byTicket.has(ticketId) || this.byTopic.has(key)) return false;
    this.byTicket.set(ticketId, { chatId: topic.chatId, threadId: topic.threadId });
    this.byTopic.set(key, ticketId);
    return true;
  }

  async topicOf(ticketId: string): Promise<DeskTopic | null> {
    const topic = this.byTicket.get(ticketId);
    return topic ? { ...topic } : null;
  }

  async ticketOf(topic: DeskTopic): Promise<string | null> {
    return this.byTopic.get(topicKey(topic)) ?? null;
  }
}

const topicKey = (topic: DeskTopic) => `${topic.chatId}:${topic.threadId}`;
