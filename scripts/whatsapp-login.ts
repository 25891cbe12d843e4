/**
 * `npm run whatsapp:login [-- --pairing-code <phone>]`
 *
 * Links the business number to WhatsApp Web (Baileys) from a terminal: prints the QR (it rotates
 * every ~20 s), or with `--pairing-code 6281234567890` an 8-character code to type on the phone
 * (WhatsApp ► Linked devices ► Link with phone number instead). Once connected it stores the
 * login in Redis (`REDIS_URL`, session `WHATSAPP_WEB_SESSION`) and exits; `npm start` then uses it.
 *
 * It takes the same socket lease as the app, so it refuses while an app instance holds the
 * connection: log in from that app's console (WhatsApp page) instead. Without REDIS_URL there is
 * nowhere to keep the login after this exits: use the console of `npm start` then.
 * Exit codes: 0 connected; 1 refused, stopped or unreachable; 2 usage or configuration.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { baileysSocketFactory } from '../src/channels/whatsapp-web/baileys-socket';
import { cliLogin } from '../src/channels/whatsapp-web/cli-login';
import { loadStoreConfig } from '../src/config';
import { WHATSAPP_WEB_RISK_ACK } from '../src/config/schema';
import { isAppError } from '../src/domain/errors';
import { createLogger } from '../src/observability/logger';
import { createStores } from '../src/store';

const USAGE = `usage: npm run whatsapp:login [-- --pairing-code <phone with country code>]
  Needs WHATSAPP_WEB_ACCEPT_RISK=${WHATSAPP_WEB_RISK_ACK} (WhatsApp Web is unofficial; numbers get banned)
  and REDIS_URL (where the login is kept for the app). WHATSAPP_WEB_SESSION names the login (default main).`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'pairing-code': { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const phone = values['pairing-code']?.replace(/[\s+()-]/g, '');
  if (phone !== undefined && !/^[1-9]\d{7,14}$/.test(phone)) {
    process.stderr.write('--pairing-code needs the number with its country code, e.g. 6281234567890\n');
    return 2;
  }
  if (process.env.WHATSAPP_WEB_ACCEPT_RISK !== WHATSAPP_WEB_RISK_ACK) {
    process.stderr.write(
      `WhatsApp Web (Baileys) is unofficial, against WhatsApp's terms, and the number can be banned.\nSet WHATSAPP_WEB_ACCEPT_RISK=${WHATSAPP_WEB_RISK_ACK} to go on.\n`,
    );
    return 2;
  }
  let redisUrl: string | undefined;
  try {
    redisUrl = loadStoreConfig().redisUrl;
  } catch (err) {
    process.stderr.write(`${isAppError(err) ? err.message : String(err)}\n`);
    return 2;
  }
  if (!redisUrl) {
    process.stderr.write(
      'REDIS_URL is not set: the login would be lost when this exits. Log in from the console (WhatsApp page) of `npm start` instead, or set REDIS_URL.\n',
    );
    return 2;
  }
  const session = process.env.WHATSAPP_WEB_SESSION || 'main';
  const stores = await createStores({ redisUrl });
  try {
    const result = await cliLogin({
      socketFactory: baileysSocketFactory({
        auth: stores.whatsappAuth,
        session,
        logger: createLogger({ level: 'silent' }),
      }),
      leases: stores.leases,
      session,
      owner: `cli-${randomUUID()}`,
      pairingPhone: phone,
      showQr: async (qr) => void process.stdout.write(await QRCode.toString(qr, { type: 'terminal', small: true })),
      say: (line) => void process.stdout.write(`${line}\n`),
    });
    if (result.ok) {
      // Baileys writes the last creds right after `open`: give it a moment before closing Redis.
      await new Promise((r) => setTimeout(r, 2_000));
      return 0;
    }
    process.stderr.write(`not connected: ${result.detail}\n`);
    return 1;
  } catch (err) {
    process.stderr.write(`not connected: ${isAppError(err) ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await stores.close();
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
