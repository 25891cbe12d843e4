/**
 * The web chat in a real Chromium: a customer asks an FAQ, gets a handoff with a ticket, and
 * HTML typed by the customer is shown as text.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR, openWebChat, sendInChat } from '../support/browser';
import type { RunningServer } from '../../src/server';

jest.setTimeout(60_000);

let app: RunningServer;
let page: Page;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ app, page, close } = await openWebChat());
});

afterAll(async () => {
  await close?.();
});

const send = (text: string) => sendInChat(page, text);

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
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'web-chat.png') });
});
