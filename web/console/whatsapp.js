/**
 * The WhatsApp Web page (admins): link the business number by QR or pairing code, see who holds
 * the socket, log out, connect again after a stop. Polls the status every 2 s while shown, since
 * WhatsApp rotates the QR about every 20 s. Everything shown is set as text, the QR as an image.
 */
import { api } from './api.js';
import { $, el, replaceChildren } from './dom.js';
import { flash } from './state.js';

const POLL_MS = 2000;
let timer;

const STATE_LABEL = {
  idle: 'Tidak tersambung · Not connected',
  connecting: 'Menyambungkan… · Connecting…',
  qr: 'Menunggu pindai QR · Waiting for the QR scan',
  pairing: 'Menunggu kode dimasukkan di HP · Waiting for the code on the phone',
  open: 'Tersambung · Connected',
  stopped: 'Berhenti · Stopped',
};

const STOP_LABEL = {
  logged_out: 'Perangkat dikeluarkan dari HP · The phone removed this device',
  forbidden: 'Ditolak WhatsApp (kemungkinan diblokir) · Refused by WhatsApp (likely banned)',
  connection_replaced: 'Diambil alih klien lain · Another client took the session',
  bad_session: 'Sesi rusak, dihapus · Corrupt session, wiped',
  multidevice_mismatch: 'Sesi tidak cocok, dihapus · Session mismatch, wiped',
};

async function act(path, body) {
  try {
    const res = await api('POST', `/api/channels/whatsapp-web/${path}`, body ?? {});
    flash(
      res.queued
        ? 'Diteruskan ke instance pemilik koneksi · Passed to the instance that holds the connection'
        : 'Selesai · Done',
    );
  } catch (err) {
    flash(err.message, 'error');
  }
  await refresh();
}

function render(view) {
  if (!view.enabled) {
    replaceChildren(
      $('wa-status'),
      el(
        'p',
        { className: 'muted' },
        'WhatsApp Web belum diaktifkan. Setel WHATSAPP_WEB_ENABLED=true dan WHATSAPP_WEB_ACCEPT_RISK (lihat README). · ',
        'WhatsApp Web is not enabled: set WHATSAPP_WEB_ENABLED=true and WHATSAPP_WEB_ACCEPT_RISK (see the README).',
      ),
    );
    $('wa-actions').hidden = true;
    return;
  }
  const c = view.connection;
  const lines = [
    el(
      'p',
      {},
      el(
        'strong',
        {},
        c
          ? STATE_LABEL[c.state] || c.state
          : 'Tidak ada instance yang memegang koneksi · No instance holds the connection',
      ),
    ),
    el(
      'p',
      { className: 'muted' },
      `Sesi · Session: ${view.session} · Instance: ${view.owner ?? '–'}${view.ownedHere ? ' (ini · this one)' : ''}`,
    ),
  ];
  if (c?.state === 'open' && c.me) lines.push(el('p', {}, `Nomor · Number: +${c.me}`));
  if (c?.state === 'stopped') lines.push(el('p', { className: 'error' }, STOP_LABEL[c.reason] || c.reason));
  if (c?.state === 'qr' && view.qrImage) {
    lines.push(
      el(
        'p',
        {},
        'Di HP: WhatsApp ► Perangkat tertaut ► Tautkan perangkat, lalu pindai · On the phone: WhatsApp ► Linked devices ► Link a device, then scan',
      ),
      el('img', { id: 'wa-qr', src: view.qrImage, alt: 'QR WhatsApp', width: 264, height: 264 }),
    );
  }
  if (c?.state === 'pairing') {
    lines.push(
      el('p', {}, `Masukkan kode ini di HP (+${c.phone}) · Type this code on the phone:`),
      el('p', { id: 'wa-code', className: 'code' }, c.code),
    );
  }
  if (view.lastError) lines.push(el('p', { className: 'error' }, view.lastError));
  replaceChildren($('wa-status'), lines);
  $('wa-actions').hidden = false;
  $('wa-pairing-form').hidden = !(c && (c.state === 'qr' || c.state === 'pairing'));
  $('wa-logout').hidden = c?.state !== 'open';
  $('wa-connect').hidden = !(c === null || c.state === 'stopped' || c.state === 'idle');
}

async function refresh() {
  try {
    render(await api('GET', '/api/channels/whatsapp-web'));
  } catch (err) {
    replaceChildren($('wa-status'), el('p', { className: 'error' }, err.message));
  }
}

export function showWhatsApp() {
  stopWhatsApp();
  void refresh();
  timer = setInterval(() => void refresh(), POLL_MS);
}

export function stopWhatsApp() {
  clearInterval(timer);
  timer = undefined;
}

export function bindWhatsApp() {
  $('wa-pairing-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void act('pairing-code', { phone: $('wa-phone').value });
  });
  $('wa-logout').addEventListener('click', () => {
    if (confirm('Keluarkan perangkat ini dari WhatsApp? · Unlink this device from WhatsApp?')) void act('logout');
  });
  $('wa-connect').addEventListener('click', () => void act('connect'));
}
