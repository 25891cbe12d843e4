/**
 * Clarify exactly once, over HTTP. The sample content is copied to a temp dir with the answer
 * threshold raised to 0.99, so every ordinary message is "unsure" and the clarification path is
 * exercised deterministically (safety rules still apply).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { postJson, startTestApp } from '../support/app';
import type { RunningServer } from '../../src/server';

const repo = path.resolve(__dirname, '..', '..');
let dir: string;
let app: RunningServer;
let n = 0;
const sender = () => `clarify-${++n}`;
const say = (from: string, text: string, extra: Record<string, unknown> = {}) =>
  postJson(`${app.url}/channels/rest/messages`, { sender: from, text, ...extra });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mj-clarify-'));
  cpSync(path.join(repo, 'intents'), path.join(dir, 'intents'), { recursive: true });
  cpSync(path.join(repo, 'templates'), path.join(dir, 'templates'), { recursive: true });
  const routingPath = path.join(dir, 'intents', 'routing.yaml');
  const doc = parseDocument(readFileSync(routingPath, 'utf8'));
  doc.setIn(['thresholds', 'answer'], 1);
  for (const item of (doc.get('categories') as { items: { key: unknown }[] }).items) {
    doc.deleteIn(['categories', String((item.key as { value: string }).value ?? item.key), 'thresholds']);
  }
  writeFileSync(routingPath, doc.toString());
  app = await startTestApp({ env: { CONTENT_DIR: dir } });
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function clarify(who: string) {
  const { body } = await say(who, 'jam buka toko brp kak?');
  expect(body.action).toBe('clarify');
  expect(body.state).toBe('clarifying');
  const choices: { id: string; label: string }[] = body.replies[0].choices;
  // Two or three topics, plus "something else / a person".
  expect(choices.length).toBeGreaterThanOrEqual(3);
  expect(choices.length).toBeLessThanOrEqual(4);
  return { body, choices };
}

function intentByLabel(label: string) {
  return app.brain().content.intents.find((i) => i.label.id === label);
}

test('the question offers the likely topics as choices, and a tapped choice is answered', async () => {
  const who = sender();
  const { choices } = await clarify(who);
  const first = choices[0]!;
  const intent = intentByLabel(first.label)!;
  expect(intent).toBeDefined();
  const { body } = await say(who, '', { choice: first.id });
  expect(body.intent).toBe(intent.id);
  expect(body.rule).toMatch(/clarified_choice$/);
  expect(body.state).not.toBe('clarifying');
});

test('the customer may answer with the number of a topic', async () => {
  const who = sender();
  const { choices } = await clarify(who);
  const second = intentByLabel(choices[1]!.label)!;
  const { body } = await say(who, '2');
  expect(body.intent).toBe(second.id);
  expect(body.rule).toMatch(/clarified_choice$/);
});

test('free text is re-classified in the context of the question', async () => {
  const who = sender();
  const { choices } = await clarify(who);
  const target = intentByLabel(choices[0]!.label)!;
  const { body } = await say(who, target.examples.id[3]!);
  expect(body.intent).toBe(target.id);
  expect(body.rule).toMatch(/clarified_text$/);
});

test('"something else / a person" hands off', async () => {
  const who = sender();
  const { choices } = await clarify(who);
  const other = choices[choices.length - 1]!;
  const { body } = await say(who, '', { choice: other.id });
  expect(body).toMatchObject({ action: 'handoff', rule: 'handoff:clarify_other', state: 'queued' });
});

test('a second miss hands off instead of asking again, and the agent sees the original message', async () => {
  const who = sender();
  const asked = await clarify(who);
  const { body } = await say(who, 'zzz qwerty asdf');
  expect(body.action).toBe('handoff');
  expect(body.rule).toBe('handoff:second_miss');
  expect(body.state).toBe('queued');
  const ticket = await app.stores.tickets.get(body.ticketId);
  expect(ticket!.context.originalText).toBe('jam buka toko brp kak?');
  expect(ticket!.context.clarification?.answer).toBe('zzz qwerty asdf');
  expect(ticket!.context.clarification?.question).toBe(asked.body.replies[0].text);
  expect(ticket!.context.clarification?.options.length).toBeGreaterThanOrEqual(3);
});

test('safety rules skip clarification', async () => {
  const { body } = await say(sender(), 'internet putus total satu komplek, tolong!!');
  expect(body.action).toBe('handoff');
  expect(body.category).toBe('emergency');
});
