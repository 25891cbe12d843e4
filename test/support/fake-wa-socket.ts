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
  private n = 0;

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
}
