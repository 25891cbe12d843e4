/**
 * The console's delivery line in a real Chromium, for a WhatsApp Cloud API customer (the app
 * against a fake Graph API, Meta's webhooks posted signed): under the ticket title the agent sees
 * how far our latest message got, as Meta reports it (sent, then read after a status event), and
 * a `failed` status turns the line red and arrives live, with a note on the ticket.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server';
import { startTestApp } from '../support/app';
import { ARTIFACTS_DIR, consoleAs, launchBrowser } from '../support/browser';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { postWebhook, textWebhook, WA_ACCESS_TOKEN, webhook, whatsappCloudEnv } from '../support/whatsapp-cloud';

jest.setTimeout(90_000);

const PASSWORD = 'demo-pass-2025';
const WA_ID = '6281377700001';

let app: RunningServer;
let graph: FakeGraphApi;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  graph = await startFakeGraphApi(WA_ACCESS_TOKEN);
  app = await startTestApp({ env: { DEMO_PASSWORD: PASSWORD, ...whatsappCloudEnv(graph) } });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await app?.close();
  await graph?.stop();
});

/** Meta's status event for our message `messageId`, as `status` (read, failed…). */
function statusEvent(fixture: 'status-delivered' | 'status-failed', messageId: string, status?: string) {
  const body = webhook(fixture, WA_ID);
  Object.assign(body.entry[0].changes[0].value.statuses[0], { id: messageId, ...(status ? { status } : {}) });
  return body;
}

const deliveryLine = (page: Page) => page.locator('#ticket-delivery');

test('the ticket shows our latest message as sent, then read; a failure turns it red, live', async () => {
  expect((await postWebhook(app, textWebhook(WA_ID, 'mau bicara dengan petugas'))).status).toBe(200);
  await graph.waitFor(() => graph.sentTo(WA_ID).length >= 1);
  const handoffReply = graph.sentTo(WA_ID)[0]!;
  const ticketId = (await app.stores.conversations.get(`whatsapp:${WA_ID}`))!.ticketId!;

  const agent = await consoleAs(browser, app, 'supervisor', PASSWORD, contexts);
  await agent.goto(`${app.url}/console/#/ticket/${ticketId}`);
  await agent.waitForSelector('#ticket-view:not([hidden])');
  await deliveryLine(agent).waitFor();
  expect(await deliveryLine(agent).innerText()).toMatch(/^Pesan terakhir · Last message: Terkirim · Sent · /);

  // Meta reports the bot's message read: the next look at the ticket says so.
  expect((await postWebhook(app, statusEvent('status-delivered', handoffReply.messageId!, 'read'))).status).toBe(200);
  await agent.reload();
  await agent.waitForSelector('#ticket-view:not([hidden])');
  await agent.waitForFunction(() => document.getElementById('ticket-delivery')?.textContent?.includes('Dibaca · Read'));
  expect(await deliveryLine(agent).getAttribute('class')).not.toContain('delivery--failed');

  // The agent claims and answers from the console; Meta then reports that reply failed. The line turns red
  // without a reload (the failure note is a live ticket change) and the note is in the list.
  await agent.click('#act-claim');
  await agent.waitForSelector('#reply-text', { state: 'visible' });
  await agent.fill('#reply-text', 'Halo Kak, kami cek dulu ya.');
  await agent.click('#reply-send');
  await graph.waitFor(() => graph.sentTo(WA_ID).length >= 2);
  const agentReply = graph.sentTo(WA_ID)[1]!;
  expect((await postWebhook(app, statusEvent('status-failed', agentReply.messageId!))).status).toBe(200);
  await agent.waitForFunction(() =>
    document.getElementById('ticket-delivery')?.textContent?.includes('Gagal terkirim · Not delivered'),
  );
  expect(await deliveryLine(agent).getAttribute('class')).toContain('delivery--failed');
  await agent
    .getByText(/131047/)
    .first()
    .waitFor();
  await agent.screenshot({ path: path.join(ARTIFACTS_DIR, 'whatsapp-delivery.png') });
});
