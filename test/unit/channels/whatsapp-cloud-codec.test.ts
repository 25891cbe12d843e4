import fs from 'node:fs';
import path from 'node:path';
import {
  decodeWebhook,
  encodeMessage,
  encodeTemplate,
  serviceWindowOpen,
  whatsappWebhookSchema,
  WHATSAPP_SERVICE_WINDOW_MS,
} from '../../../src/channels/whatsapp-cloud/whatsapp-cloud.codec';

const PHONE_NUMBER_ID = '106540352242922';
const decode = (name: string, phoneNumberId = PHONE_NUMBER_ID) =>
  decodeWebhook(
    whatsappWebhookSchema.parse(
      JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/whatsapp-cloud', `${name}.json`), 'utf8')),
    ),
    1_000,
    phoneNumberId,
  );

describe('decodeWebhook', () => {
  test('a text message: sender, wamid, text and the contact name', () => {
    const { messages, statuses } = decode('text');
    expect(statuses).toEqual([]);
    expect(messages).toEqual([
      {
        channel: 'whatsapp',
        senderId: '6281234567890',
        messageId: expect.stringMatching(/^wamid\./),
        text: 'jam buka toko brp kak?',
        customerName: 'Siti Rahma',
        receivedAt: 1_000,
      },
    ]);
  });

  test('a tapped reply button or list row is a choice with no text', () => {
    expect(decode('button-reply').messages[0]).toMatchObject({ choice: 'c1', text: '' });
    expect(decode('list-reply').messages[0]).toMatchObject({ choice: 'c2', text: '' });
  });

  test('media keep their media id, type and caption; other kinds are described', () => {
    expect(decode('image-caption').messages[0]).toMatchObject({
      text: expect.stringContaining('error E02'),
      attachment: { kind: 'photo', ref: '1479537139650973', mimeType: 'image/jpeg' },
    });
    expect(decode('document').messages[0]!.attachment).toMatchObject({
      kind: 'document',
      fileName: 'bukti-transfer.pdf',
      mimeType: 'application/pdf',
    });
    expect(decode('voice').messages[0]!.attachment!.kind).toBe('voice');
    expect(decode('sticker').messages[0]!.attachment).toEqual({ kind: 'sticker' });
    expect(decode('location').messages[0]!.attachment).toEqual({
      kind: 'location',
      detail: '-6.8943, 107.6046 (Rumah)',
    });
    expect(decode('unsupported').messages[0]).toMatchObject({ text: '', attachment: { kind: 'other' } });
  });

  test('statuses: delivered (with when, in ms), and failed with its error code and title', () => {
    expect(decode('status-delivered').statuses).toEqual([
      { messageId: 'wamid.fake000001', status: 'delivered', recipient: '6281234567890', at: 1736128870_000 },
    ]);
    expect(decode('status-failed').statuses[0]).toMatchObject({
      status: 'failed',
      reason: '131047 Re-engagement message',
    });
  });

  test("another phone number's events (one Meta app, several numbers) are left out", () => {
    expect(decode('text', '999999999999')).toEqual({ messages: [], statuses: [] });
  });
});

describe('encodeMessage', () => {
  test("text, with an agent's name in bold", () => {
    expect(encodeMessage('628', { text: 'Halo', from: { kind: 'agent', name: 'Sari' } })).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '628',
        type: 'text',
        text: { body: '*Sari*: Halo' },
      },
    ]);
  });

  test('up to three choices are reply buttons, titles cut to 20 characters', () => {
    const [body] = encodeMessage('628', {
      text: 'Maksud Kakak yang mana?',
      choices: [
        { id: 'a', label: 'Cara pesan' },
        { id: 'b', label: 'Status pesanan dan pengiriman barang' },
      ],
    });
    expect(body!.type).toBe('interactive');
    const buttons = (body!.interactive as { action: { buttons: { reply: { id: string; title: string } }[] } }).action
      .buttons;
    expect(buttons.map((b) => b.reply)).toEqual([
      { id: 'a', title: 'Cara pesan' },
      { id: 'b', title: 'Status pesanan dan…' },
    ]);
    expect([...buttons[1]!.reply.title].length).toBeLessThanOrEqual(20);
  });

  test('more than three choices become a list; a body over 1024 characters goes first as text', () => {
    const choices = [1, 2, 3, 4, 5].map((n) => ({ id: `r${n}`, label: `${n} ★` }));
    const bodies = encodeMessage('628', { text: 'x'.repeat(1500), choices });
    expect(bodies.map((b) => b.type)).toEqual(['text', 'interactive']);
    const list = bodies[1]!.interactive as { type: string; action: { sections: { rows: unknown[] }[] } };
    expect(list.type).toBe('list');
    expect(list.action.sections[0]!.rows).toHaveLength(5);
  });

  test("a text over WhatsApp's 4096 characters is split at paragraphs, the buttons on its last part only", () => {
    const paragraph = 'Paket Internet Rumah 50 Mbps gratis pemasangan. '.repeat(40).trim();
    const text = [paragraph, paragraph, paragraph].join('\n\n'); // ≈ 5.8k characters
    const plain = encodeMessage('628', { text });
    expect(plain.map((b) => b.type)).toEqual(['text', 'text']);
    const parts = plain.map((b) => (b.text as { body: string }).body);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n\n')).toBe(text);

    const withChoices = encodeMessage('628', { text, choices: [{ id: 'ya', label: 'Ya' }] });
    expect(withChoices.map((b) => b.type)).toEqual(['text', 'text', 'interactive']);
    expect((withChoices[1]!.text as { body: string }).body).toBe(paragraph);
  });
});

test('a template carries the text as one parameter, without newlines', () => {
  const body = encodeTemplate('628', { name: 'balasan_petugas', language: 'id' }, 'Sari: baris satu\n\nbaris dua');
  expect(body.template).toEqual({
    name: 'balasan_petugas',
    language: { code: 'id' },
    components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sari: baris satu · baris dua' }] }],
  });
});

test('the service window is open for 24 hours after the customer last wrote, and closed when unknown', () => {
  expect(serviceWindowOpen(0, WHATSAPP_SERVICE_WINDOW_MS - 1)).toBe(true);
  expect(serviceWindowOpen(0, WHATSAPP_SERVICE_WINDOW_MS)).toBe(false);
  expect(serviceWindowOpen(undefined, 0)).toBe(false);
});
