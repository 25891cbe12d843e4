/**
 * The web chat in a real Chromium: a customer asks an FAQ, gets a handoff with a ticket, and
 * HTML typed by the customer is shown as text.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestApp } from '../support/app';
import type { RunningServer } from '../../src/server';

jest.setTimeout(60_000);
const artifacts = path.resolve(__dirname, '..', '..', 'test-artifacts');

let app: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startTestApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 480, height: 760 } });
  await page.goto(`${app.url}/`);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function send(text: string) {
  const before = await page.locator('.msg--bot').count();
  await page.fill('#text', text);
  await page.click('#send');
  await page.waitForFunction((n) => document.querySelectorAll('.msg--bot').length > n, before);
  return page.locator('.msg--bot').last().innerText();
}

test('answers an FAQ in the page', async () => {
  const reply = await send('jam buka toko brp?');
  expect(reply).toContain(app.brain().content.routing.business.hoursText.id);
});

test('customer HTML is shown as text, never run', async () => {
  await send('<img src=x onerror="document.title=\'pwned\'"> halo');
  expect(await page.locator('.chat__log img').count()).toBe(0);
  expect(await page.title()).not.toBe('pwned');
  await expect(page.locator('.msg--me').last().innerText()).resolves.toContain('<img src=x');
});

test('a complaint is handed off with a ticket number shown', async () => {
  const reply = await send('saya kecewa banget, barang yang saya beli cacat, minta ganti!');
  expect(reply).toMatch(/MJ-\d{6}/);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'web-chat.png') });
});
