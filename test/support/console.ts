import type { RunningServer } from '../../src/server';
import { postJson } from './app';

/** The demo users' password in tests. */
export const PASSWORD = 'demo-pass-2025';

// Test responses are asserted field by field, so `any` is the honest type for bodies.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = { status: number; body: any; headers: Headers; setCookies: string[] };

/** A logged-in console user: the cookie pair and CSRF token to send back. */
export interface Login {
  username: string;
  cookie: string;
  csrf: string;
}

/**
 * One HTTP call over a real socket; JSON in and out; `as` sends a login's cookie and CSRF token,
 * `cookie` / `csrf` send raw ones (auth tests forge and mix them).
 */
export async function call(
  app: RunningServer,
  method: string,
  path: string,
  options: { body?: unknown; as?: Login; cookie?: string; csrf?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const cookie = options.cookie ?? options.as?.cookie;
  const csrf = options.csrf ?? options.as?.csrf;
  if (cookie) headers.cookie = cookie;
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* keep the text */
  }
  return { status: res.status, body, headers: res.headers, setCookies: res.headers.getSetCookie() };
}

export async function login(app: RunningServer, username: string, password = PASSWORD): Promise<Login> {
  const res = await call(app, 'POST', '/api/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('mj_session='))!;
  return { username, cookie: setCookie.split(';')[0]!, csrf: res.body.csrfToken as string };
}

let senders = 0;

/**
 * A REST-channel customer who complains (category complaint, team `supervisor`, which has no
 * auto-assignment, so the ticket stays in the queue), after the `before` messages (answered by the
 * bot). Returns the ticket id and sender.
 */
export async function complaint(
  app: RunningServer,
  text = 'pelayanan teknisi kalian sangat mengecewakan, saya kecewa berat',
  options: { before?: string[] } = {},
): Promise<{ ticketId: string; ticketNumber: string; sender: string }> {
  const sender = `console-${++senders}-${Date.now()}`;
  for (const earlier of options.before ?? [])
    await postJson(`${app.url}/channels/rest/messages`, { sender, text: earlier });
  const res = await postJson(`${app.url}/channels/rest/messages`, { sender, text });
  if (res.body.action !== 'handoff' || !res.body.ticketId) {
    throw new Error(`expected a handoff, got ${JSON.stringify(res.body)}`);
  }
  return { ticketId: res.body.ticketId, ticketNumber: res.body.ticketNumber, sender };
}
