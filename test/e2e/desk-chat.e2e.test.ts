/**
 * The web chat with a person on the other side, in a real Chromium: the customer asks for a
 * person, an agent replies (the page polls `GET /channels/rest/messages` and shows the reply with
 * the agent's name; markup in it stays text), the agent resolves, the customer taps a CSAT
 * button, and the next FAQ is answered by the bot again.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { StaffMember } from '../../src/handoff/service';
import type { RunningServer } from '../../src/server';
import { ARTIFACTS_DIR, openWebChat, sendInChat } from '../support/browser';

jest.setTimeout(60_000);

const XSS = `<img src=x onerror="document.title='pwned'"> Halo Kak, saya cek dulu ya.`;
const agent: StaffMember = { id: 'sari', role: 'agent', displayName: 'Sari <b>CS</b>', teams: ['frontline'] };

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

test('an agent reply, the CSAT question and the bot again, all in the page; markup stays text', async () => {
  const handoff = await send('saya mau bicara dengan petugas');
  const number = /MJ-\d{6}/.exec(handoff)?.[0];
  expect(number).toBeDefined();
  const sender = await page.evaluate(() => localStorage.getItem('majujaya.sender'));
  const [ticket] = (await app.stores.tickets.listQueue({ status: ['new', 'in_progress'] })).filter(
    (t) => t.senderId === sender,
  );
  expect(ticket?.number).toBe(number);

  expect(await app.handoff.claim(ticket!.id, agent)).toMatchObject({ ok: true });
  await app.handoff.reply(ticket!.id, agent, XSS);
  const reply = page.locator('.msg--agent').last();
  await reply.waitFor({ timeout: 15_000 });
  expect(await reply.innerText()).toContain(XSS);
  expect(await reply.locator('.msg__meta').innerText()).toContain('Sari <b>CS</b>');
  expect(await page.locator('.chat__log img, .chat__log b').count()).toBe(0);
  expect(await page.title()).not.toBe('pwned');
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'web-chat-agent-reply.png') });

  await app.handoff.resolve(ticket!.id, agent);
  const question = page.locator('.msg--bot:has(.choices)').last();
  await question.waitFor({ timeout: 15_000 });
  expect(await question.innerText()).toContain(`Tiket ${number} sudah selesai ditangani`);
  const buttons = question.locator('.choices button');
  expect(await buttons.allInnerTexts()).toEqual(['1 ★', '2 ★', '3 ★', '4 ★', '5 ★']);
  const before = await page.locator('.msg--bot').count();
  await buttons.last().click();
  await page.waitForFunction((n) => document.querySelectorAll('.msg--bot').length > n, before);
  expect(app.brain().content.templates.get('csat_thanks')!.variants.id).toContain(
    await page.locator('.msg--bot').last().innerText(),
  );
  expect((await app.stores.tickets.get(ticket!.id))!.csat?.score).toBe(5);

  const faq = await send('jam buka toko brp?');
  expect(faq).toContain(app.brain().content.routing.business.hoursText.id);
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'web-chat-csat.png') });
});
