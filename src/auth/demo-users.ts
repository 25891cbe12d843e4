import { randomBytes } from 'node:crypto';
import type { Role } from './roles';
import type { AuthService } from './service';

/**
 * The demo logins of the embedded default (memory store, not production). Agents' teams match
 * `intents/routing.yaml`, so every handoff category has someone to route to:
 * agent1 takes the everyday queues, agent2 the technical and emergency ones, and the complaint
 * team (`supervisor`) is the supervisor's.
 */
export const DEMO_USERS: readonly { username: string; displayName: string; role: Role; teams: string[] }[] = [
  { username: 'admin', displayName: 'Admin MAJU JAYA', role: 'admin', teams: [] },
  { username: 'supervisor', displayName: 'Sari (Supervisor)', role: 'supervisor', teams: ['supervisor'] },
  { username: 'agent1', displayName: 'Budi', role: 'agent', teams: ['frontline', 'billing', 'support_l2'] },
  { username: 'agent2', displayName: 'Dewi', role: 'agent', teams: ['support_l2', 'on_call'] },
  { username: 'editor', displayName: 'Rina (Konten)', role: 'content_editor', teams: [] },
];

/** A readable random demo password (16 base64url characters, 96 bits). */
export function generateDemoPassword(): string {
  return randomBytes(12).toString('base64url');
}

/** Creates every demo user with `password`. Hashes run concurrently (scrypt uses the thread pool). */
export async function seedDemoUsers(auth: AuthService, password: string): Promise<typeof DEMO_USERS> {
  await Promise.all(DEMO_USERS.map((u) => auth.createUser({ ...u, password })));
  return DEMO_USERS;
}
