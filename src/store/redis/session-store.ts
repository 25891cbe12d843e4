import { z } from 'zod';
import { randomToken, type Session } from '../../auth/session';
import type { Clock } from '../../domain/clock';
import { AppError } from '../../domain/errors';
import type { SessionStore } from '../types';
import { guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

const storedSession = z.object({
  username: z.string().min(1),
  csrfToken: z.string().min(1),
  createdAt: z.coerce.number().int(),
  expiresAt: z.coerce.number().int(),
});

/**
 * Sessions as hashes with a Redis TTL (Redis's clock decides expiry; `createdAt`/`expiresAt` are
 * stamped from the injected clock for display). Keys are named by the SHA-256 of the session id
 * (see `keys.ts`). Each user has a set of their session keys so "log out everywhere" is one script.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  async create(username: string, ttlMs: number): Promise<Session> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    // A collision of two 256-bit random ids will not happen; the loop only keeps that an assumption
    // the script checks rather than one we silently rely on.
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock.now();
      const session: Session = {
        id: randomToken(),
        username,
        csrfToken: randomToken(),
        createdAt: now,
        expiresAt: now + ttl,
      };
      const created = await guard(
        this.client.mjSessionCreate(
          this.keys.session(session.id),
          this.keys.userSessions(username),
          username,
          session.csrfToken,
          session.createdAt,
          session.expiresAt,
          ttl,
        ),
      );
      if (created === 1) return session;
    }
    throw new AppError('INTERNAL', 'Could not draw a free session id');
  }

  async get(id: string): Promise<Session | null> {
    const fields = await guard(this.client.hgetall(this.keys.session(id)));
    return toSession(id, fields);
  }

  async touch(id: string, ttlMs: number): Promise<Session | null> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const flat = await guard(this.client.mjSessionTouch(this.keys.session(id), this.clock.now() + ttl, ttl));
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
    return toSession(id, fields);
  }

  async delete(id: string): Promise<void> {
    // The user's session set may keep naming the deleted key; the next create or delete-all prunes it.
    await guard(this.client.del(this.keys.session(id)));
  }

  async deleteAllOf(username: string): Promise<number> {
    return guard(this.client.mjSessionDeleteAll(this.keys.userSessions(username)));
  }
}

function toSession(id: string, fields: Record<string, string> | null | undefined): Session | null {
  if (!fields || Object.keys(fields).length === 0) return null;
  const parsed = storedSession.safeParse(fields);
  // A half-written or foreign hash is treated as no session: the user logs in again.
  return parsed.success ? { id, ...parsed.data } : null;
}
