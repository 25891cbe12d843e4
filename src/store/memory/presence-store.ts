import type { AgentPresence, PresenceStore } from '../types';

/**
 * Presence in a `Map`: agent → teams and heartbeat expiry. The memory ticket store reads and
 * forgets entries here when it releases an offline agent (same process, same tick: atomic).
 */
export class MemoryPresenceStore implements PresenceStore {
  private readonly agents = new Map<string, AgentPresence>();

  async heartbeat(agent: { id: string; teams: readonly string[] }, now: number, ttlMs: number): Promise<void> {
    this.agents.set(agent.id, { id: agent.id, teams: [...agent.teams], expiresAt: now + ttlMs });
  }

  async onlineAgents(options: { now: number; team?: string }): Promise<AgentPresence[]> {
    return [...this.agents.values()]
      .filter((a) => a.expiresAt > options.now && (options.team === undefined || a.teams.includes(options.team)))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((a) => structuredClone(a));
  }

  async expiredAgents(before: number): Promise<AgentPresence[]> {
    return [...this.agents.values()]
      .filter((a) => a.expiresAt <= before)
      .sort((a, b) => a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : 1))
      .map((a) => structuredClone(a));
  }

  /** The stored expiry, for the ticket store's offline check; undefined when unknown or forgotten. */
  expiryOf(agent: string): number | undefined {
    return this.agents.get(agent)?.expiresAt;
  }

  forget(agent: string): void {
    this.agents.delete(agent);
  }
}
