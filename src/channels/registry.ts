import { AppError } from '../domain/errors';
import type { OutboundMessage } from '../domain/message';
import { splitText } from '../dialogue/render';
import type {
  AttachmentDownload,
  AttachmentFetcher,
  ChannelCapabilities,
  ChannelSender,
  CustomerSender,
} from './types';

/**
 * Every channel the app can send through later, by name. Long texts are split at the channel's
 * `maxTextLength` (buttons stay on the last part), so an agent's long reply arrives whole on any
 * channel.
 *
 * ```ts
 * const channels = new ChannelRegistry([new RestOutboxSender(stores.outbox, clock)]);
 * await channels.send('rest', 'web-123', [{ text: 'Halo Kak', from: { kind: 'agent', name: 'Sari' } }]);
 * ```
 */
export class ChannelRegistry implements CustomerSender, AttachmentFetcher {
  private readonly byName = new Map<string, ChannelSender>();

  constructor(senders: readonly ChannelSender[]) {
    for (const sender of senders) this.byName.set(sender.name, sender);
  }

  capabilities(channel: string): ChannelCapabilities | undefined {
    return this.byName.get(channel)?.capabilities;
  }

  async send(channel: string, recipient: string, messages: OutboundMessage[]): Promise<void> {
    const sender = this.byName.get(channel);
    if (!sender) throw new AppError('CHANNEL_UNAVAILABLE', `No sender is configured for the ${channel} channel`);
    const parts = messages.flatMap((m) => splitMessage(m, sender.capabilities.maxTextLength));
    if (parts.length > 0) await sender.send(recipient, parts);
  }

  /** The channel's `assertCanSend`, when it has one; `CHANNEL_UNAVAILABLE` without a sender. */
  async assertCanSend(channel: string, recipient: string): Promise<void> {
    const sender = this.byName.get(channel);
    if (!sender) throw new AppError('CHANNEL_UNAVAILABLE', `No sender is configured for the ${channel} channel`);
    await sender.assertCanSend?.(recipient);
  }

  async fetchAttachment(channel: string, ref: string, options: { maxBytes: number }): Promise<AttachmentDownload> {
    const sender = this.byName.get(channel);
    if (!sender?.fetchAttachment) {
      throw new AppError('CHANNEL_UNAVAILABLE', `Files of the ${channel} channel cannot be fetched here`);
    }
    return sender.fetchAttachment(ref, options);
  }
}

function splitMessage(message: OutboundMessage, maxLength: number): OutboundMessage[] {
  const texts = splitText(message.text, maxLength);
  if (texts.length <= 1) return [message];
  return texts.map((text, i) => {
    const part: OutboundMessage = { ...message, text };
    if (i < texts.length - 1) delete part.choices;
    return part;
  });
}
