import type { Clock } from '../../domain/clock';
import type { OutboundMessage } from '../../domain/message';
import type { OutboxStore } from '../../store/types';
import type { ChannelSender } from '../types';
import { REST_CHANNEL, restCapabilities } from './rest.codec';

/**
 * The REST channel cannot push: messages sent later (an agent's reply, the CSAT question) go to
 * the customer's outbox, which the client (the web chat) polls with
 * `GET /channels/rest/messages?sender=…&after=<cursor>`.
 */
export class RestOutboxSender implements ChannelSender {
  readonly name = REST_CHANNEL;
  readonly capabilities = restCapabilities;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly clock: Clock,
  ) {}

  async send(recipient: string, messages: OutboundMessage[]): Promise<void> {
    for (const message of messages) {
      await this.outbox.append(REST_CHANNEL, recipient, {
        text: message.text,
        ...(message.choices?.length ? { buttons: message.choices } : {}),
        from: message.from ?? { kind: 'bot' },
        at: this.clock.now(),
      });
    }
  }
}
