import type { DedupStore } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * `SET key 1 PX ttl NX`: a single command, so atomic across instances without a script. Expiry is
 * Redis's own clock (the injected clock is not consulted).
 */
export class RedisDedupStore implements DedupStore {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async firstSeen(key: string, ttlMs: number): Promise<boolean> {
    const reply = await guard(this.client.set(this.keys.dedup(key), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'));
    return reply === 'OK';
  }

  async forget(key: string): Promise<void> {
    await guard(this.client.del(this.keys.dedup(key)));
  }
}
