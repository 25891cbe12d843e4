/**
 * Auto-assignment maths (pure). The stores run the same choice atomically (the Redis script
 * counts open tickets inside Redis), so two instances assigning at once can never push an agent
 * past capacity.
 */

/** An agent who could take a ticket. */
export interface AgentCandidate {
  id: string;
  /** Teams the agent answers for. */
  teams: readonly string[];
  /** When the agent last got a ticket (epoch ms); absent when never. Used to break ties. */
  lastAssignedAt?: number;
}

/**
 * The least-loaded agent of `team` with fewer than `capacity` open tickets, or `null` when
 * everyone is full (the ticket then waits in the queue). Ties go to the agent idle longest (the
 * oldest `lastAssignedAt`; never assigned counts as idle forever), then to the alphabetically
 * first id, so the choice is deterministic and spreads work evenly.
 *
 * `agents` should be the online ones; `loads` maps an agent id to its open tickets
 * (`in_progress` + `waiting_customer`), missing = 0.
 *
 * ```ts
 * pickAgent('billing', [{ id: 'sari', teams: ['billing'] }, { id: 'budi', teams: ['billing'] }], { sari: 1 }, 2)
 * // → 'budi' (0 open tickets beats 1)
 * ```
 */
export function pickAgent(
  team: string,
  agents: readonly AgentCandidate[],
  loads: Readonly<Record<string, number>>,
  capacity: number,
): string | null {
  let best: { agent: AgentCandidate; load: number } | null = null;
  for (const agent of agents) {
    if (!agent.teams.includes(team)) continue;
    const load = loads[agent.id] ?? 0;
    if (load >= capacity) continue;
    if (!best || compareCandidates({ agent, load }, best) < 0) best = { agent, load };
  }
  return best?.agent.id ?? null;
}

function compareCandidates(
  a: { agent: AgentCandidate; load: number },
  b: { agent: AgentCandidate; load: number },
): number {
  return (
    a.load - b.load ||
    (a.agent.lastAssignedAt ?? -Infinity) - (b.agent.lastAssignedAt ?? -Infinity) ||
    (a.agent.id < b.agent.id ? -1 : a.agent.id > b.agent.id ? 1 : 0)
  );
}
