import type { AgentPresence, PresenceStore } from '../types';
import { execPipeline, guard } from './errors';
import type { RedisKeys } from './keys';
import type { ScriptedRedis } from './scripts';

/**
 * Presence in Redis, in the `{tickets}` slot so the offline sweep (`TicketStore.release` with
 * `offlineSince`) can check an agent's heartbeat and requeue its tickets in one script:
 * `presence` (agent by expiry), `presence:team:<team>` (the same, per team), `presence:teams`
 * (agent → its teams). A heartbeat is one script; reads are range queries.
 */
export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly client: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async heartbeat(agent: { id: string; teams: readonly string[] }, now: number, ttlMs: number): Promise<void> {
    await guard(
      this.client.mjPresenceHeartbeat(
        this.keys.presence(),
        this.keys.ticketsNamespace(),
        agent.id,
        now + ttlMs,
        ...new Set(agent.teams),
      ),
    );
  }

  async onlineAgents(options: { now: number; team?: string }): Promise<AgentPresence[]> {
    const key = options.team === undefined ? this.keys.presence() : this.keys.presenceTeam(options.team);
    const agents = await this.withTeams(
      await guard(this.client.zrangebyscore(key, `(${options.now}`, '+inf', 'WITHSCORES')),
    );
    return agents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async expiredAgents(before: number): Promise<AgentPresence[]> {
    return this.withTeams(await guard(this.client.zrangebyscore(this.keys.presence(), '-inf', before, 'WITHSCORES')));
  }

  private async withTeams(flat: string[]): Promise<AgentPresence[]> {
    const entries: { id: string; expiresAt: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ id: flat[i]!, expiresAt: Number(flat[i + 1]) });
    if (entries.length === 0) return [];
    const pipeline = this.client.pipeline();
    pipeline.hmget(this.keys.presenceTeams(), ...entries.map((e) => e.id));
    const [teams] = (await execPipeline(pipeline)) as (string | null)[][];
    return entries.map((e, i) => ({
      id: e.id,
      expiresAt: e.expiresAt,
      teams: teams?.[i] ? teams[i]!.split('\n') : [],
    }));
  }
}
