import { loadConfig } from '../../../src/config';
import { AppError } from '../../../src/domain/errors';

const root = '/srv/app';

test('WhatsApp Web is off by default', () => {
  expect(loadConfig({}, root).whatsappWeb).toBeUndefined();
});

test('enabling WhatsApp Web without the risk acknowledgement is a startup error naming both variables', () => {
  for (const ack of [undefined, 'yes', 'I-UNDERSTAND-THE-BAN-RISK']) {
    let error: unknown;
    try {
      loadConfig({ WHATSAPP_WEB_ENABLED: 'true', ...(ack ? { WHATSAPP_WEB_ACCEPT_RISK: ack } : {}) }, root);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    expect((error as AppError).message).toContain(
      'WHATSAPP_WEB_ENABLED=true requires WHATSAPP_WEB_ACCEPT_RISK=i-understand-the-ban-risk',
    );
  }
});

test('with the acknowledgement it is on, with its session and group setting', () => {
  const c = loadConfig(
    {
      WHATSAPP_WEB_ENABLED: 'true',
      WHATSAPP_WEB_ACCEPT_RISK: 'i-understand-the-ban-risk',
      WHATSAPP_WEB_SESSION: 'cs-1',
    },
    root,
  );
  expect(c.whatsappWeb).toEqual({ session: 'cs-1', allowGroups: false });
});
