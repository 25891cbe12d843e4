import { applyUserPatch, normalizeUsername, parseUser, type User, type UserPatch } from '../../auth/user';
import type { Clock } from '../../domain/clock';
import { AppError } from '../../domain/errors';
import type { UserStore } from '../types';
import { execPipeline, guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/** Concurrent updates of one user retry their compare-and-set this many times before giving up. */
const UPDATE_ATTEMPTS = 10;

/**
 * Users as one hash each (`v` = version, `json` = the user) plus a set of usernames. `create` is
 * one script (exists-check, write, index); `update` reads, patches and validates in TypeScript and
 * saves with compare-and-set, retrying when another instance saved in between, so no patch is lost.
 * Records read back are validated with the same zod schema as input.
 */
export class RedisUserStore implements UserStore {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  async create(user: User): Promise<User> {
    const valid = parseUser(user);
    const created = await guard(
      this.client.mjUserCreate(
        this.keys.user(valid.username),
        this.keys.userIndex(),
        valid.username,
        JSON.stringify(valid),
      ),
    );
    if (created !== 1) throw new AppError('USER_EXISTS');
    return valid;
  }

  async get(username: string): Promise<User | null> {
    const json = await guard(this.client.hget(this.keys.user(normalizeUsername(username)), 'json'));
    return json === null ? null : parseUser(JSON.parse(json));
  }

  async list(): Promise<User[]> {
    const names = (await guard(this.client.smembers(this.keys.userIndex()))).sort();
    if (names.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const name of names) pipeline.hget(this.keys.user(name), 'json');
    const replies = await execPipeline(pipeline);
    return replies
      .filter((json): json is string => typeof json === 'string')
      .map((json) => parseUser(JSON.parse(json)));
  }

  async update(username: string, patch: UserPatch): Promise<User> {
    const key = this.keys.user(normalizeUsername(username));
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const [version, json] = await guard(this.client.hmget(key, 'v', 'json'));
      if (version == null || json == null) throw new AppError('NOT_FOUND', 'No such user');
      const next = applyUserPatch(parseUser(JSON.parse(json)), patch, this.clock.now());
      const saved = await guard(this.client.mjUserSave(key, Number(version), JSON.stringify(next)));
      if (saved === 1) return next;
      if (saved === -1) throw new AppError('NOT_FOUND', 'No such user');
    }
    throw new AppError('STORE_CONFLICT');
  }
}
