import { z } from 'zod';
import type { CustomerNote, CustomerNoteStore } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

const noteSchema = z.strictObject({
  channel: z.string(),
  senderId: z.string(),
  text: z.string(),
  updatedAt: z.number(),
  updatedBy: z.string(),
});

/**
 * One string per customer holding the note as JSON. A put is a single `SET` (atomic without a
 * script; the whole note is replaced, last write wins).
 */
export class RedisCustomerNoteStore implements CustomerNoteStore {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async get(channel: string, senderId: string): Promise<CustomerNote | null> {
    const json = await guard(this.client.get(this.keys.customerNote(channel, senderId)));
    if (json === null) return null;
    const parsed = noteSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  }

  async put(note: CustomerNote): Promise<CustomerNote> {
    const stored = noteSchema.parse(note);
    await guard(this.client.set(this.keys.customerNote(note.channel, note.senderId), JSON.stringify(stored)));
    return stored;
  }
}
