import type { WhatsAppAuthStore } from '../../store/types';

/**
 * Baileys' signal key store contract (`SignalKeyStore`), structurally: `get(type, ids)` →
 * `{ id: value }` for the ids that exist, `set({ type: { id: value | null } })` (null deletes),
 * `clear()`. Declared here so this bridge needs no import of the ESM-only package.
 */
export interface KeyStoreLike {
  get(type: string, ids: string[]): Promise<Record<string, unknown>>;
  set(data: Record<string, Record<string, unknown>>): Promise<void>;
  clear(): Promise<void>;
}

export interface StoreAuthState<Creds> {
  state: { creds: Creds; keys: KeyStoreLike };
  /** Bind to `creds.update`: writes the (mutated) creds object back to the store. */
  saveCreds(): Promise<void>;
  /** Forgets the session (after logged out / bad session): the next start needs a new QR. */
  clear(): Promise<void>;
}

export interface StoreAuthOptions<Creds> {
  store: WhatsAppAuthStore;
  session: string;
  /** Baileys' `initAuthCreds` (new creds for a first login). */
  initCreds: () => Creds;
  /**
   * Turns a stored value back into what Baileys expects, by category: `app-state-sync-key`
   * values must become `proto.Message.AppStateSyncKeyData.fromObject(value)`. Identity otherwise.
   */
  revive?: (category: string, value: unknown) => unknown;
}

/**
 * Baileys' auth state over our store (Redis in production), the replacement for
 * `useMultiFileAuthState`: creds, and every key category Baileys writes, whatever its name
 * (`lid-mapping`, `device-list`, `tctoken` included), go through `WhatsAppAuthStore`.
 */
export async function useStoreAuthState<Creds>(options: StoreAuthOptions<Creds>): Promise<StoreAuthState<Creds>> {
  const { store, session } = options;
  const revive = options.revive ?? ((_category: string, value: unknown) => value);
  const creds = ((await store.getCreds(session)) as Creds | null) ?? options.initCreds();
  const keys: KeyStoreLike = {
    async get(type, ids) {
      const found = await store.getKeys(session, type, ids);
      const out: Record<string, unknown> = {};
      for (const [id, value] of Object.entries(found)) out[id] = revive(type, value);
      return out;
    },
    set: (data) => store.setKeys(session, data),
    clear: () => store.clear(session),
  };
  return {
    state: { creds, keys },
    saveCreds: () => store.setCreds(session, creds),
    clear: () => store.clear(session),
  };
}
