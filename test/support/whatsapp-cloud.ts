/**
 * Driving the WhatsApp Cloud API channel as Meta does, for tests over real HTTP: the app's
 * `WHATSAPP_CLOUD_*` settings pointing at a fake Graph API, recorded webhook payloads
 * (`test/fixtures/whatsapp-cloud/*.json`) moved to any customer with fresh message ids, and posts
 * signed with the app secret (`X-Hub-Signature-256`).
 *
 * ```ts
 * const graph = await startFakeGraphApi(WA_ACCESS_TOKEN);
 * const app = await startTestApp({ env: whatsappCloudEnv(graph) });
 * await postWebhook(app, textWebhook('6281300000001', 'mau bicara dengan petugas'));
 * ```
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RunningServer } from '../../src/server';
import type { FakeGraphApi } from './fake-graph-api';

export const WA_ACCESS_TOKEN = 'EAAGfakeAccessTokenForTests0123456789abcdef';
export const WA_APP_SECRET = 'fakeappsecret0123456789abcdef01';
export const WA_VERIFY_TOKEN = 'verify-token-0123456789';
export const WA_PHONE_NUMBER_ID = '106540352242922';
/** The customer the fixtures were recorded with; `webhook` replaces it. */
const FIXTURE_WA_ID = '6281234567890';

let nextMessage = 1;

/** The app's settings for the channel, against `graph`. */
export function whatsappCloudEnv(graph: FakeGraphApi, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WHATSAPP_CLOUD_ACCESS_TOKEN: WA_ACCESS_TOKEN,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: WA_PHONE_NUMBER_ID,
    WHATSAPP_CLOUD_APP_SECRET: WA_APP_SECRET,
    WHATSAPP_CLOUD_VERIFY_TOKEN: WA_VERIFY_TOKEN,
    WHATSAPP_CLOUD_API_BASE: graph.url,
    ...extra,
  };
}

/** A recorded webhook, moved to customer `waId`, with fresh message ids. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function webhook(name: string, waId: string, patch: (message: any) => void = () => undefined): any {
  const raw = fs.readFileSync(path.join(__dirname, '../fixtures/whatsapp-cloud', `${name}.json`), 'utf8');
  const body = JSON.parse(raw.split(FIXTURE_WA_ID).join(waId));
  for (const m of body.entry[0].changes[0].value.messages ?? []) {
    m.id = `wamid.test${String(nextMessage++).padStart(8, '0')}`;
    patch(m);
  }
  return body;
}

/** A text message from `waId`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const textWebhook = (waId: string, body: string): any => webhook('text', waId, (m) => (m.text.body = body));

/** The `X-Hub-Signature-256` value Meta would send for `raw`. */
export const signWebhook = (raw: string, secret = WA_APP_SECRET): string =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

/** Posts a body to the app's webhook, signed (or with the given signature header, or none). */
export async function postWebhook(app: RunningServer, body: unknown, signature?: string | null) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = signature === undefined ? signWebhook(raw) : signature;
  if (sig !== null) headers['x-hub-signature-256'] = sig;
  const res = await fetch(`${app.url}/channels/whatsapp/webhook`, { method: 'POST', headers, body: raw });
  const textBody = await res.text();
  return { status: res.status, body: textBody ? JSON.parse(textBody) : undefined };
}
