/**
 * `npm run telegram:webhook -- set|delete|info`
 *
 * - `set`: registers `<TELEGRAM_PUBLIC_URL>/channels/telegram/webhook` (TELEGRAM_PUBLIC_URL, or
 *   PUBLIC_URL when it is https) with `TELEGRAM_WEBHOOK_SECRET` as the secret token, the update
 *   kinds the bot reads, and pending updates kept (never dropped: they are customers' messages);
 * - `delete`: removes the webhook (pending updates kept), e.g. before `TELEGRAM_MODE=polling`;
 * - `info`: prints `getWebhookInfo` (URL, pending updates, the last error Telegram saw).
 *
 * Reads only the TELEGRAM_* variables (and PUBLIC_URL). The token is never printed.
 * Exit codes: 0 done; 1 Telegram refused or was unreachable; 2 usage or configuration.
 */
import { Api, GrammyError, HttpError } from 'grammy';
import { ALLOWED_UPDATES } from '../src/channels/telegram/telegram.adapter';
import { loadTelegramConfig } from '../src/config';
import { isAppError } from '../src/domain/errors';
import { TELEGRAM_WEBHOOK_PATH } from '../src/http/routes/telegram-channel';

const USAGE = `usage: npm run telegram:webhook -- set|delete|info
  set     register <TELEGRAM_PUBLIC_URL>${TELEGRAM_WEBHOOK_PATH} with TELEGRAM_WEBHOOK_SECRET
  delete  remove the webhook (pending updates are kept)
  info    print Telegram's getWebhookInfo
  Needs TELEGRAM_BOT_TOKEN (and for set: TELEGRAM_WEBHOOK_SECRET and TELEGRAM_PUBLIC_URL or an https PUBLIC_URL).`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (argv.length !== 1 || !command || !['set', 'delete', 'info'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let config;
  try {
    // Whatever TELEGRAM_MODE says, the webhook tool needs no mode; `set` checks the secret itself.
    config = loadTelegramConfig({ ...process.env, TELEGRAM_MODE: 'polling' });
  } catch (err) {
    process.stderr.write(`${isAppError(err) ? err.message : String(err)}\n`);
    return 2;
  }
  const api = new Api(config.token, { apiRoot: config.apiRoot });
  try {
    if (command === 'set') {
      if (!config.webhookSecret || !config.publicUrl) {
        process.stderr.write(
          'set needs TELEGRAM_WEBHOOK_SECRET and an https TELEGRAM_PUBLIC_URL (or PUBLIC_URL): Telegram only posts to https\n',
        );
        return 2;
      }
      const url = `${config.publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
      await api.setWebhook(url, {
        secret_token: config.webhookSecret,
        allowed_updates: [...ALLOWED_UPDATES],
        drop_pending_updates: false,
        max_connections: 40,
      });
      process.stdout.write(`webhook set: ${url}\n`);
    } else if (command === 'delete') {
      await api.deleteWebhook({ drop_pending_updates: false });
      process.stdout.write('webhook deleted (pending updates kept)\n');
    } else {
      process.stdout.write(`${JSON.stringify(await api.getWebhookInfo(), null, 2)}\n`);
    }
    return 0;
  } catch (err) {
    const why =
      err instanceof GrammyError
        ? `${err.error_code} ${err.description}`
        : err instanceof HttpError
          ? 'the Bot API is unreachable'
          : 'unexpected error';
    process.stderr.write(`Telegram refused: ${why.split(config.token).join('<token>')}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
