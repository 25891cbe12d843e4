import { createRedisStores } from '../../src/store/redis';
import { startRedisServer, type TestRedisServer } from '../support/redis-server';
import { describeWhatsAppWebContract } from './whatsapp-web-contract';

jest.setTimeout(20_000);

let server: TestRedisServer;
let fixtures = 0;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Two app instances (two connections) over one key prefix on this file's own redis-server. */
describeWhatsAppWebContract('redis', async () => {
  const prefix = `wa-redis:${++fixtures}:`;
  const stores = createRedisStores({ url: server.url, prefix });
  const second = createRedisStores({ url: server.url, prefix });
  return {
    auth: stores.whatsappAuth,
    auth2: second.whatsappAuth,
    leases: stores.leases,
    leases2: second.leases,
    takeovers: stores.takeovers,
    board: stores.whatsappBoard,
    board2: second.whatsappBoard,
    // Redis expires keys by its own clock: real time has to pass.
    passTime: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async cleanup() {
      await Promise.all([stores.close(), second.close()]);
    },
  };
});
