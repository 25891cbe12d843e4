/**
 * The console's WhatsApp Web page in a real Chromium, over a fake Baileys socket: an admin sees
 * the QR as an image, asks for a pairing code instead and sees it, then the number connected;
 * an agent has no WhatsApp link in the navigation.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server';
import { startTestApp } from '../support/app';
import { ARTIFACTS_DIR, consoleAs as openConsole, launchBrowser } from '../support/browser';
import { FakeWaSocket } from '../support/fake-wa-socket';

jest.setTimeout(90_000);

const PASSWORD = 'demo-pass-2025';
let app: RunningServer;
let browser: Browser;
const sockets: FakeWaSocket[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  app = await startTestApp({
    env: {
      DEMO_PASSWORD: PASSWORD,
      WHATSAPP_WEB_ENABLED: 'true',
      WHATSAPP_WEB_ACCEPT_RISK: 'i-understand-the-ban-risk',
    },
    whatsappWebSocket: async () => {
      const socket = new FakeWaSocket();
      sockets.push(socket);
      return socket;
    },
    whatsappWebTiming: { leaseTtlMs: 5_000, leaseTickMs: 200, boardPollMs: 100 },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await app?.close();
});

const consoleAs = (username: string): Promise<Page> => openConsole(browser, app, username, PASSWORD, contexts);

test('an admin links the number: QR image, then a pairing code, then connected', async () => {
  const agent = await consoleAs('agent1');
  expect(await agent.locator('#nav-whatsapp').isHidden()).toBe(true);

  const socket = sockets[0]!;
  socket.ev.emit('connection.update', { qr: '2@e2e-qr-payload' });
  const admin = await consoleAs('admin');
  await admin.click('#nav-whatsapp');
  await admin.waitForSelector('#whatsapp-view:not([hidden])');
  const qr = admin.locator('#wa-qr');
  await qr.waitFor();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  // The QR really drew (not a broken image).
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await admin.screenshot({ path: path.join(ARTIFACTS_DIR, 'whatsapp-qr.png') });

  await admin.fill('#wa-phone', '+62 811-0000-1111');
  await admin.click('#wa-pairing-form button[type=submit]');
  await admin.locator('#wa-code').waitFor();
  expect(await admin.locator('#wa-code').innerText()).toBe('ABCD1234');
  expect(socket.pairingRequests).toEqual(['6281100001111']);

  socket.open('6281100001111');
  await admin.getByText('Nomor · Number: +6281100001111').waitFor();
  expect(await admin.locator('#wa-logout').isVisible()).toBe(true);
  expect(await admin.locator('#wa-qr').count()).toBe(0);
});
