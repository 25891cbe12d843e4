/**
 * A person answering outside the console (the business phone, seen by the WhatsApp Web channel)
 * pauses the bot for that conversation; the console lists paused conversations and hands one back.
 * Over real HTTP with the real app (memory store); the takeover is reported through the engine's
 * channel-neutral `humanReplied`, as the WhatsApp Web adapter does.
 */
import type { RunningServer } from '../../src/server';
import { postJson, startTestApp } from '../support/app';
import { call, login, PASSWORD } from '../support/console';

jest.setTimeout(30_000);

let app: RunningServer;
beforeAll(async () => {
  app = await startTestApp({ env: { DEMO_PASSWORD: PASSWORD } });
});
afterAll(async () => {
  await app.close();
});

const say = (sender: string, text: string) =>
  postJson(`${app.url}/channels/rest/messages`, { sender, text }) as Promise<{
    status: number;
    body: { replies: { text: string }[] };
  }>;

test('paused by a human reply, the bot stays silent; listed in the console; handed back, it answers again', async () => {
  const sender = `web-takeover-${Date.now()}`;
  expect((await say(sender, 'jam buka toko brp kak?')).body.replies.length).toBeGreaterThan(0);
  await app.engine.humanReplied('rest', sender, 'Halo Kak, saya Rina dari toko, ada yang bisa dibantu?');

  const silent = await say(sender, 'iya kak, barangnya ready?');
  expect(silent.status).toBe(200);
  expect(silent.body.replies).toEqual([]);
  const conv = (await app.stores.conversations.get(`rest:${sender}`))!;
  expect(conv.transcript.at(-1)).toMatchObject({ from: 'customer', text: 'iya kak, barangnya ready?' });

  const agent = await login(app, 'agent1');
  const paused = await call(app, 'GET', '/api/conversations/paused', { as: agent });
  expect(paused.status).toBe(200);
  expect(paused.body.conversations).toEqual(
    expect.arrayContaining([expect.objectContaining({ conversationId: `rest:${sender}`, by: 'phone' })]),
  );

  const editor = await login(app, 'editor');
  expect((await call(app, 'POST', `/api/conversations/rest:${sender}/hand-back`, { as: editor })).status).toBe(403);
  const back = await call(app, 'POST', `/api/conversations/rest:${sender}/hand-back`, { as: agent });
  expect(back.status).toBe(200);
  expect(back.body).toEqual({ conversationId: `rest:${sender}`, handedBack: true });
  const again = await call(app, 'POST', `/api/conversations/rest:${sender}/hand-back`, { as: agent });
  expect(again.body.handedBack).toBe(false);

  expect((await say(sender, 'alamat toko dimana kak')).body.replies.length).toBeGreaterThan(0);
  const listed = await call(app, 'GET', '/api/conversations/paused', { as: agent });
  expect(listed.body.conversations.map((c: { conversationId: string }) => c.conversationId)).not.toContain(
    `rest:${sender}`,
  );
});
