import { cliLogin, type CliLoginOptions } from '../../../src/channels/whatsapp-web/cli-login';
import { systemClock } from '../../../src/domain/clock';
import { MemoryLeaseStore } from '../../../src/store/memory/whatsapp-web';
import { FakeWaSocket } from '../../support/fake-wa-socket';

const flush = () => new Promise((r) => setImmediate(r));

/** Runs `cliLogin` over fake sockets; `script` acts on each socket as it opens. */
function run(script: (socket: FakeWaSocket, n: number) => void, extra: Partial<CliLoginOptions> = {}) {
  const sockets: FakeWaSocket[] = [];
  const lines: string[] = [];
  const qrs: string[] = [];
  const leases = extra.leases ?? new MemoryLeaseStore(systemClock);
  const result = cliLogin({
    socketFactory: async () => {
      const socket = new FakeWaSocket();
      sockets.push(socket);
      setImmediate(() => script(socket, sockets.length));
      return socket;
    },
    leases,
    session: 'main',
    owner: 'cli-1',
    showQr: async (qr) => void qrs.push(qr),
    say: (line) => void lines.push(line),
    random: () => 0.5,
    backoff: { baseMs: 1, capMs: 5, jitter: 0 },
    ...extra,
  });
  return { result, sockets, lines, qrs, leases };
}

describe('npm run whatsapp:login (cliLogin)', () => {
  it('shows each QR, reconnects after the restart WhatsApp asks for once linked, and ends connected', async () => {
    const t = run((socket, n) => {
      if (n === 1) {
        socket.ev.emit('connection.update', { qr: '2@first' });
        socket.ev.emit('connection.update', { qr: '2@second' });
        socket.close(515);
      } else socket.open('6281100001111');
    });
    await expect(t.result).resolves.toEqual({ ok: true, me: '6281100001111' });
    expect(t.qrs).toEqual(['2@first', '2@second']);
    expect(t.sockets).toHaveLength(2);
    expect(t.sockets[1]!.ended).toBe(true);
    expect(t.lines.at(-1)).toMatch(/connected as \+6281100001111/);
    // The lease is free again for the app.
    expect(await t.leases.holder('whatsapp-web:main')).toBeNull();
  });

  it('asks for one pairing code instead of showing QRs', async () => {
    const t = run(
      (socket) => {
        socket.ev.emit('connection.update', { qr: '2@a' });
        socket.ev.emit('connection.update', { qr: '2@b' });
        void flush().then(() => socket.open());
      },
      { pairingPhone: '6281100001111' },
    );
    await expect(t.result).resolves.toMatchObject({ ok: true });
    expect(t.qrs).toEqual([]);
    expect(t.sockets[0]!.pairingRequests).toEqual(['6281100001111']);
    expect(t.lines.some((l) => l.includes('ABCD1234'))).toBe(true);
  });

  it('refuses while an app instance holds the socket, and opens none', async () => {
    const leases = new MemoryLeaseStore(systemClock);
    await leases.acquire('whatsapp-web:main', 'app-instance', 60_000);
    const t = run(() => undefined, { leases });
    await expect(t.result).resolves.toMatchObject({ ok: false, reason: 'busy' });
    expect(t.sockets).toHaveLength(0);
    expect(await leases.holder('whatsapp-web:main')).toBe('app-instance');
  });

  it('stops on a ban without retrying, and gives up after repeated lost connections', async () => {
    const banned = run((socket) => socket.close(403));
    await expect(banned.result).resolves.toMatchObject({ ok: false, reason: 'stopped' });
    expect(banned.sockets).toHaveLength(1);

    const lost = run((socket) => socket.close(408), { maxAttempts: 3 });
    await expect(lost.result).resolves.toMatchObject({ ok: false, reason: 'gave_up' });
    expect(lost.sockets).toHaveLength(3);
  });
});
