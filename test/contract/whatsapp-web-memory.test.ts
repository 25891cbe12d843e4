import { ManualClock } from '../../src/domain/clock';
import { createMemoryStores } from '../../src/store/memory';
import { describeWhatsAppWebContract } from './whatsapp-web-contract';

describeWhatsAppWebContract('memory', async () => {
  const clock = new ManualClock(Date.UTC(2025, 0, 6, 2, 0, 0));
  const stores = createMemoryStores({ clock });
  return {
    auth: stores.whatsappAuth,
    auth2: stores.whatsappAuth,
    leases: stores.leases,
    leases2: stores.leases,
    takeovers: stores.takeovers,
    board: stores.whatsappBoard,
    board2: stores.whatsappBoard,
    async passTime(ms) {
      clock.advance(ms);
    },
    cleanup: () => stores.close(),
  };
});
