import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningServer } from '../../src/server';
import { startTestApp } from './app';

/** Debian's Chromium (installed by `npm test`), or CHROMIUM_PATH. */
export function chromiumPath(): string {
  const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(candidate)) {
    throw new Error(
      `Chromium not found at ${candidate}: run the suite with \`npm test\` (it installs chromium) or set CHROMIUM_PATH`,
    );
  }
  return candidate;
}

/** Launches headless Chromium with flags that suit a closed network and a root user. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    chromiumSandbox: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * A fresh browser profile (kept in `contexts`, for closing) logged in to the console as `username`,
 * on the queue.
 */
export async function consoleAs(
  browser: Browser,
  app: RunningServer,
  username: string,
  password: string,
  contexts: BrowserContext[],
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${app.url}/console/`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#queue-view:not([hidden])');
  return page;
}

/** Where browser tests keep their screenshots (gitignored). */
export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts');

/** The real app with its web chat open in Chromium at phone size, as a customer sees it. */
export async function openWebChat(): Promise<{ app: RunningServer; page: Page; close(): Promise<void> }> {
  const app = await startTestApp();
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 480, height: 760 } });
  await page.goto(`${app.url}/`);
  return {
    app,
    page,
    async close() {
      await browser.close();
      await app.close();
    },
  };
}

/** Types `text` into the web chat, sends it, and returns the bot's next message. */
export async function sendInChat(page: Page, text: string): Promise<string> {
  const before = await page.locator('.msg--bot').count();
  await page.fill('#text', text);
  await page.click('#send');
  await page.waitForFunction((n) => document.querySelectorAll('.msg--bot').length > n, before);
  return page.locator('.msg--bot').last().innerText();
}
