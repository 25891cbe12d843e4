import type { AuthenticationCreds } from '@whiskeysockets/baileys' with { 'resolution-mode': 'import' };
import type { WhatsAppAuthStore } from '../../store/types';
import type { Logger } from '../../observability/logger';
import { useStoreAuthState } from './auth-state';
import { DISCONNECT } from './reconnect';
import type { SocketFactory, WaSocketLike } from './whatsapp-web.adapter';

/** What the console and the phone show as the linked device ("MAJU JAYA bot (Ubuntu)"). */
export const DEVICE_NAME = 'Chrome';

export interface BaileysSocketOptions {
  auth: WhatsAppAuthStore;
  /** The login's name in the store (`WHATSAPP_WEB_SESSION`). */
  session: string;
  logger: Logger;
}

/**
 * The production `SocketFactory`: a real Baileys 7 socket whose login state lives in our store
 * (`useStoreAuthState`), never in local files. Loaded with a dynamic `import()` because Baileys 7
 * is ESM-only, and only when WhatsApp Web is enabled, so nobody else pays for it. Not unit-tested
 * (Jest's loader cannot load ESM on Node 20); the adapter is tested over a fake socket with the
 * same slice of the interface (`WaSocketLike`), and this file type-checks against Baileys' own
 * types (`DISCONNECT` included, below).
 *
 * Baileys' own logging is silenced: it logs JIDs (phone numbers) and message payloads, which must
 * not reach our logs; the adapter logs connection changes itself, pseudonymously.
 */
export function baileysSocketFactory(options: BaileysSocketOptions): SocketFactory {
  return async () => {
    const baileys = await import('@whiskeysockets/baileys');
    const { makeWASocket, initAuthCreds, makeCacheableSignalKeyStore, proto, Browsers } = baileys;
    const auth = await useStoreAuthState<AuthenticationCreds>({
      store: options.auth,
      session: options.session,
      initCreds: initAuthCreds,
      // Baileys reads these back as protobuf objects, not plain JSON.
      revive: (category, value) =>
        category === 'app-state-sync-key' ? proto.Message.AppStateSyncKeyData.fromObject(value as object) : value,
    });
    const quiet = options.logger.child({ module: 'baileys' });
    quiet.level = 'silent';
    const keys = auth.state.keys as unknown as Parameters<typeof makeCacheableSignalKeyStore>[0];
    const socket = makeWASocket({
      auth: { creds: auth.state.creds, keys: makeCacheableSignalKeyStore(keys, quiet) },
      logger: quiet,
      browser: Browsers.ubuntu(DEVICE_NAME),
      printQRInTerminal: false,
      // The phone stays the place where the business reads notifications.
      markOnlineOnConnect: false,
      syncFullHistory: false,
    });
    socket.ev.on('creds.update', () => void auth.saveCreds());
    return socket as unknown as WaSocketLike;
  };
}

// Compile-time checks that our mirrored codes are Baileys' own (a Baileys update that renumbers
// them fails `tsc`, not production).
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type BaileysReason = typeof import('@whiskeysockets/baileys', {
  with: { 'resolution-mode': 'import' },
}).DisconnectReason;
const mirrored: {
  [K in keyof typeof DISCONNECT]: K extends keyof BaileysReason
    ? Equal<(typeof DISCONNECT)[K], BaileysReason[K]>
    : false;
} = {
  loggedOut: true,
  forbidden: true,
  connectionLost: true,
  multideviceMismatch: true,
  connectionClosed: true,
  connectionReplaced: true,
  badSession: true,
  unavailableService: true,
  restartRequired: true,
};
void mirrored;
