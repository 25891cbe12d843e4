/**
 * The agent console in a real Chromium: a customer writes on the REST channel and is handed off;
 * agent1 sees the ticket appear live, claims it, and agent2's browser shows it taken; agent1
 * answers with a canned response (the customer receives it through `/channels/rest/messages`) and
 * resolves (the customer gets the CSAT question). The customer's `<img src=x onerror=alert(1)>`
 * stays text in the queue and the conversation, and no dialog ever opens.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server';
import { postJson, startTestApp } from '../support/app';
import { ARTIFACTS_DIR, launchBrowser } from '../support/browser';

jest.setTimeout(90_000);

const PASSWORD = 'demo-pass-2025';
const XSS = '<img src=x onerror=alert(1)>';

let app: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  app = await startTestApp({ env: { DEMO_PASSWORD: PASSWORD } });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await app?.close();
});

/** A fresh browser profile logged in as `username`, on the live queue. */
async function consoleAs(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${app.url}/console/`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#queue-view:not([hidden])');
  await page.waitForSelector('#live-status.live--on');
  return page;
}

async function customerOutbox(sender: string): Promise<{ text: string; from: { kind: string; name?: string } }[]> {
  const res = await fetch(`${app.url}/channels/rest/messages?${new URLSearchParams({ sender })}`);
  return ((await res.json()) as { messages: { text: string; from: { kind: string; name?: string } }[] }).messages;
}

test('a handoff appears live, is claimed, shown taken elsewhere, answered and resolved; customer HTML stays text', async () => {
  const agent1 = await consoleAs('agent1');
  const agent2 = await consoleAs('agent2');
  const rowsBefore = await agent1.locator('#queue-body tr').count();

  // The customer complains on the REST channel (team `supervisor`: no auto-assignment).
  const sender = `e2e-console-${Date.now()}`;
  const sent = await postJson(`${app.url}/channels/rest/messages`, {
    sender,
    text: `saya kecewa banget ${XSS} pelayanan teknisi kalian sangat mengecewakan`,
  });
  expect(sent.body.action).toBe('handoff');
  const number: string = sent.body.ticketNumber;
  const ticketId: string = sent.body.ticketId;

  // Both consoles show it live, without a reload.
  const row1 = agent1.locator(`#queue-body tr[data-number="${number}"]`);
  const row2 = agent2.locator(`#queue-body tr[data-number="${number}"]`);
  await row1.waitFor();
  await row2.waitFor();
  expect(await agent1.locator('#queue-body tr').count()).toBe(rowsBefore + 1);
  await expect(row1.locator('.preview').innerText()).resolves.toContain(XSS);
  expect(await agent1.locator('#queue-body img').count()).toBe(0);
  await expect(row1.locator('.sla').getAttribute('class')).resolves.toMatch(/sla--(ok|warning|breached)/);

  // agent1 claims from the queue and lands in the conversation.
  await row1.locator('button.claim').click();
  await agent1.waitForSelector('#ticket-view:not([hidden])');
  await agent1.waitForFunction(() => document.getElementById('ticket-status')?.textContent?.includes('Ditangani'));

  // agent2's queue shows it taken by Budi, live; its claim button is gone.
  await agent2.waitForFunction(
    (n) => document.querySelector(`#queue-body tr[data-number="${n}"] .owner`)?.textContent?.includes('Budi'),
    number,
  );
  expect(await row2.locator('button.claim').count()).toBe(0);
  await agent2.screenshot({ path: path.join(ARTIFACTS_DIR, 'queue.png') });

  // The conversation shows the context packet and the customer's HTML as text.
  const transcript = agent1.locator('#transcript');
  await expect(transcript.innerText()).resolves.toContain(XSS);
  expect(await agent1.locator('#transcript img, #context img').count()).toBe(0);
  await expect(agent1.locator('#context').innerText()).resolves.toContain('complaint');

  // A canned response fills the reply box with the variables filled in; send it.
  await agent1.waitForSelector('#canned-select option[value="opening"]', { state: 'attached' });
  await agent1.selectOption('#canned-select', 'opening');
  const reply = await agent1.inputValue('#reply-text');
  expect(reply).toContain('saya Budi dari MAJU JAYA');
  expect(reply).not.toContain('{{');
  await agent1.click('#reply-send');
  await agent1.waitForFunction(() => document.querySelectorAll('#transcript .turn--agent').length === 1);
  await agent1.screenshot({ path: path.join(ARTIFACTS_DIR, 'conversation.png') });

  // The customer receives it through the REST channel's outbox, from Budi.
  const outbox = await customerOutbox(sender);
  expect(outbox.find((m) => m.from.kind === 'agent')).toMatchObject({
    text: reply,
    from: { kind: 'agent', name: 'Budi' },
  });

  // Resolve: the ticket is resolved, the bot has the conversation back, the customer is asked for a rating.
  await agent1.click('#act-resolve');
  await agent1.waitForFunction(() => document.getElementById('ticket-status')?.textContent?.includes('Selesai'));
  const ticket = await app.stores.tickets.get(ticketId);
  expect(ticket).toMatchObject({ status: 'resolved', assignee: 'agent1', firstResponseAt: expect.any(Number) });
  expect((await app.stores.conversations.get(`rest:${sender}`))!.state).not.toBe('with_agent');
  const after = await customerOutbox(sender);
  expect(after.length).toBeGreaterThan(outbox.length);
  expect(after.at(-1)!.from.kind).toBe('bot');

  // Resolved tickets leave agent2's live queue.
  await row2.waitFor({ state: 'detached' });
  expect(dialogs).toEqual([]);
});

test('a second agent opening a ticket someone claimed sees the owner and no claim button', async () => {
  const agent2 = await consoleAs('agent2');
  const { body } = await postJson(`${app.url}/channels/rest/messages`, {
    sender: `e2e-console-race-${Date.now()}`,
    text: 'pelayanan teknisi kalian sangat mengecewakan, saya kecewa berat',
  });
  const row = agent2.locator(`#queue-body tr[data-number="${body.ticketNumber}"]`);
  await row.waitFor();
  // agent1 claims it in their console.
  const agent1 = await consoleAs('agent1');
  await agent1.locator(`#queue-body tr[data-number="${body.ticketNumber}"] button.claim`).click();
  await agent1.waitForSelector('#ticket-view:not([hidden])');
  await agent2.goto(`${app.url}/console/#/ticket/${body.ticketId}`);
  await agent2.waitForFunction(() => document.getElementById('ticket-owner')?.textContent?.includes('Budi'));
  expect(await agent2.locator('#act-claim').isHidden()).toBe(true);
  expect(dialogs).toEqual([]);
});
