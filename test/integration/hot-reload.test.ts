/**
 * Content staff save a file while the bot runs: a valid edit goes live (model retrained with it),
 * a broken edit is rejected and the last good content keeps answering.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { postJson, startTestApp } from '../support/app';
import { call, login, PASSWORD } from '../support/console';
import type { RunningServer } from '../../src/server';

jest.setTimeout(30_000);
const repo = path.resolve(__dirname, '..', '..');
let dir: string;
let app: RunningServer;
let n = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mj-reload-'));
  cpSync(path.join(repo, 'intents'), path.join(dir, 'intents'), { recursive: true });
  cpSync(path.join(repo, 'templates'), path.join(dir, 'templates'), { recursive: true });
  app = await startTestApp({ env: { CONTENT_DIR: dir, CONTENT_WATCH: 'true', DEMO_PASSWORD: PASSWORD } });
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function storeHoursReply(): Promise<string> {
  const { body } = await postJson(`${app.url}/channels/rest/messages`, {
    sender: `reload-${++n}`,
    text: 'jam buka toko brp?',
    locale: 'id',
  });
  expect(body.intent).toBe('store_hours');
  return body.replies[0].text;
}

function nextEvent(name: 'updated' | 'rejected'): Promise<unknown> {
  return new Promise((resolve) => app.content.once(name, resolve));
}

test('a saved edit goes live without a restart; a broken one keeps the last good content', async () => {
  const file = path.join(dir, 'templates', 'info.yaml');
  const original = readFileSync(file, 'utf8');
  expect(await storeHoursReply()).not.toContain('PROMO JAM MALAM');

  const updated = nextEvent('updated');
  const edited = original.replace(/(store_hours:\s*\n\s*id:\s*\n\s*- ")/, '$1PROMO JAM MALAM! ');
  expect(edited).not.toBe(original);
  writeFileSync(file, edited);
  await updated;
  expect(await storeHoursReply()).toContain('PROMO JAM MALAM');

  const rejected = nextEvent('rejected');
  writeFileSync(file, `${edited}\n  broken: [unclosed\n`);
  const errors = (await rejected) as { file: string; line: number }[];
  expect(errors[0]).toMatchObject({ file: 'templates/info.yaml' });
  expect(errors[0]!.line).toBeGreaterThan(1);
  expect(await storeHoursReply()).toContain('PROMO JAM MALAM');
  expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
});

test('a saved canned response reaches the console without a restart', async () => {
  const agent = await login(app, 'agent1');
  const titles = async () =>
    ((await call(app, 'GET', '/api/canned', { as: agent })).body.responses as { title: { id: string } }[]).map(
      (c) => c.title.id,
    );
  expect(await titles()).not.toContain('Salam pembuka baru');
  const file = path.join(dir, 'templates', 'canned', 'general.yaml');
  const changed = new Promise<void>((resolve) => app.content.once('files_changed', () => resolve()));
  writeFileSync(file, readFileSync(file, 'utf8').replace('Salam pembuka,', 'Salam pembuka baru,'));
  await changed;
  // The canned loader runs right after the change event; give it its own turn to finish.
  for (let i = 0; i < 50 && !(await titles()).includes('Salam pembuka baru'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(await titles()).toContain('Salam pembuka baru');
});
