import { EventEmitter } from 'node:events';
import type { WaSocketLike } from '../../src/channels/whatsapp-web/whatsapp-web.adapter';

/**
 * A fake Baileys socket: the slice of `WASocket` the adapter uses. Tests emit `connection.update`
 * and `messages.upsert` on `ev`; `sendMessage` is recorded and answers with a new message id.
 */
export class FakeWaSocket implements WaSocketLike {
  readonly ev = new EventEmitter();
  readonly sent: { jid: string; text: string; id: string }[] = [];
  ended = false;
  /** Set by tests to "log in" (Baileys fills it on open). */
  user: { id: string } | null = null;
  /** Phone numbers a pairing code was asked for. */
  readonly pairingRequests: string[] = [];
  private n = 0;

  async requestPairingCode(phone: string): Promise<string> {
    this.pairingRequests.push(phone);
    return 'ABCD1234';
  }

  /** Like Baileys: the server unlinks the device and the socket closes with `loggedOut` (401). */
  async logout(): Promise<void> {
    this.close(401);
  }

  /** Logs in as `phone` (the connection opens). */
  open(phone = '6281100001111'): void {
    this.user = { id: `${phone}:7@s.whatsapp.net` };
    this.ev.emit('connection.update', { connection: 'open' });
  }

  async sendMessage(jid: string, content: { text: string }) {
    const id = `OUT${++this.n}`;
    this.sent.push({ jid, text: content.text, id });
    return { key: { id } };
  }

  end(): void {
    this.ended = true;
  }

  /** Closes with a Baileys-style Boom error carrying `statusCode`. */
  close(statusCode: number): void {
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error: { output: { statusCode } } } });
  }

  upsert(messages: unknown[], type: 'notify' | 'append' = 'notify'): void {
    this.ev.emit('messages.upsert', { messages, type });
  }

  /** What Baileys delivers for a text from `phone`, or one typed on the business phone (`fromMe`). */
  static text(phone: string, id: string, body: string, fromMe = false): unknown {
    return {
      key: { remoteJid: `${phone}@s.whatsapp.net`, id, fromMe },
      message: { conversation: body },
      pushName: fromMe ? undefined : 'Kak Wati',
    };
  }
}
