import { useStoreAuthState } from '../../../src/channels/whatsapp-web/auth-state';
import { createMemoryStores } from '../../../src/store/memory';

describe('whatsapp-web auth state over the store', () => {
  it('starts with fresh creds, saves them on creds.update, and reloads them in a new process view', async () => {
    const stores = createMemoryStores();
    const first = await useStoreAuthState({
      store: stores.whatsappAuth,
      session: 'main',
      initCreds: () => ({ registered: false, noiseKey: Buffer.from([1, 2]) }),
    });
    expect(first.state.creds.registered).toBe(false);
    first.state.creds.registered = true; // Baileys mutates creds, then emits creds.update
    await first.saveCreds();
    const again = await useStoreAuthState({
      store: stores.whatsappAuth,
      session: 'main',
      initCreds: () => ({ registered: false, noiseKey: Buffer.alloc(0) }),
    });
    expect(again.state.creds.registered).toBe(true);
    expect([...again.state.creds.noiseKey]).toEqual([1, 2]);
  });

  it('passes every key category through and revives values by category', async () => {
    const stores = createMemoryStores();
    const auth = await useStoreAuthState({
      store: stores.whatsappAuth,
      session: 'main',
      initCreds: () => ({}),
      revive: (category, value) => (category === 'app-state-sync-key' ? { revived: value } : value),
    });
    await auth.state.keys.set({ 'app-state-sync-key': { k: { a: 1 } }, 'lid-mapping': { '6281': '999' } });
    expect(await auth.state.keys.get('app-state-sync-key', ['k'])).toEqual({ k: { revived: { a: 1 } } });
    expect(await auth.state.keys.get('lid-mapping', ['6281', 'nope'])).toEqual({ '6281': '999' });
    await auth.clear();
    expect(await auth.state.keys.get('lid-mapping', ['6281'])).toEqual({});
  });
});
