import type { CustomerNote, CustomerNoteStore } from '../types';

/** Customer notes in a `Map` keyed by channel and sender. */
export class MemoryCustomerNoteStore implements CustomerNoteStore {
  private readonly notes = new Map<string, CustomerNote>();

  async get(channel: string, senderId: string): Promise<CustomerNote | null> {
    const note = this.notes.get(key(channel, senderId));
    return note ? { ...note } : null;
  }

  async put(note: CustomerNote): Promise<CustomerNote> {
    this.notes.set(key(note.channel, note.senderId), { ...note });
    return { ...note };
  }
}

/** JSON of the pair, so no separator character inside an id can make two customers collide. */
const key = (channel: string, senderId: string) => JSON.stringify([channel, senderId]);
