/**
 * The agent console: login, the live queue (server-sent events), the conversation view, the
 * supervisor view and the audit log. Plain ES modules, no framework; all customer text goes into
 * the page with `textContent` (see dom.js), and the strict CSP allows no inline script or style.
 */
import { api, ApiError, setCsrf } from './api.js';
import { $, el, formatDuration, formatTime, replaceChildren } from './dom.js';
import { slaState, slaText } from './sla.js';
import { canManageChannels, canSupervise, canWork, flash, state, statusLabel } from './state.js';
import { openTicket, closeTicket, onTicketEvent } from './conversation.js';
import { loadPaused } from './paused.js';
import { bindWhatsApp, showWhatsApp, stopWhatsApp } from './whatsapp.js';
import { showSupervisor, onSupervisorEvent, stopSupervisor } from './supervisor.js';

const HEARTBEAT_MS = 10_000;
const OPEN_STATUSES = ['new', 'escalated', 'in_progress', 'waiting_customer'];
const PRIORITY_LABEL = ['P0 Darurat', 'P1 Tinggi', 'P2 Sedang', 'P3 Normal', 'P4 Rendah'];

let stream = null;
let heartbeatTimer = null;
let audioContext = null;

// ---- login ----------------------------------------------------------------------------------

async function start() {
  try {
    const me = await api('GET', '/api/auth/me');
    signedIn(me.user, me.csrfToken);
  } catch {
    showLogin();
  }
}

function showLogin() {
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  $('login-username').focus();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  unlockAudio();
  $('login-error').textContent = '';
  try {
    const res = await api('POST', '/api/auth/login', {
      username: $('login-username').value,
      password: $('login-password').value,
    });
    $('login-password').value = '';
    signedIn(res.user, res.csrfToken);
  } catch (err) {
    $('login-error').textContent =
      err instanceof ApiError && err.code === 'RATE_LIMITED'
        ? 'Terlalu banyak percobaan, coba lagi nanti · Too many attempts, try later'
        : 'Nama pengguna atau kata sandi salah · Wrong username or password';
  }
});

$('logout-button').addEventListener('click', async () => {
  try {
    await api('POST', '/api/auth/logout');
  } finally {
    stream?.close();
    clearInterval(heartbeatTimer);
    state.me = null;
    location.hash = '';
    showLogin();
  }
});

function signedIn(user, csrf) {
  setCsrf(csrf);
  state.me = user;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('me').textContent = `${user.displayName} (${user.role})`;
  $('nav-supervisor').hidden = !canSupervise();
  $('nav-audit').hidden = !canSupervise();
  $('nav-whatsapp').hidden = !canManageChannels();
  if (user.role === 'content_editor') {
    flash('Peran ini tidak memakai antrean · This role has no queue', 'error');
    return;
  }
  connectStream();
  if (canWork()) {
    heartbeat();
    heartbeatTimer = setInterval(heartbeat, HEARTBEAT_MS);
  }
  route();
}

function heartbeat() {
  api('POST', '/api/agents/heartbeat').catch((err) => {
    if (err.status === 401) location.reload();
  });
}

// ---- live stream -----------------------------------------------------------------------------

function connectStream() {
  stream?.close();
  stream = new EventSource('/api/events');
  stream.addEventListener('ready', () => {
    $('live-status').className = 'live live--on';
    // Whatever happened while we were away: read the queue again.
    loadQueue();
  });
  stream.addEventListener('error', () => ($('live-status').className = 'live live--off'));
  for (const type of ['ticket_changed', 'new_handoff', 'sla_breached']) {
    stream.addEventListener(type, (e) => {
      const event = JSON.parse(e.data);
      upsert(event.ticket);
      if (type === 'new_handoff') announce(event.ticket);
      onTicketEvent(event);
      onSupervisorEvent(event);
    });
  }
  stream.addEventListener('supervisor_alert', (e) => onSupervisorEvent(JSON.parse(e.data)));
}

/** Keeps the newest version of each open ticket; resolved ones leave the queue. */
function upsert(ticket) {
  const known = state.tickets.get(ticket.id);
  if (known && known.updatedAt > ticket.updatedAt) return;
  if (OPEN_STATUSES.includes(ticket.status)) state.tickets.set(ticket.id, { ...known, ...ticket });
  else state.tickets.delete(ticket.id);
  renderQueue();
}

async function loadQueue() {
  try {
    const res = await api('GET', '/api/tickets?status=open&limit=500');
    state.tickets = new Map(res.tickets.map((t) => [t.id, t]));
    renderQueue();
    void loadPaused();
  } catch (err) {
    if (err.status === 401) showLogin();
  }
}

// ---- notifications ---------------------------------------------------------------------------

$('notify-button').addEventListener('click', async () => {
  unlockAudio();
  if (!('Notification' in window)) return flash('Browser tanpa notifikasi · No notifications here');
  const result = await Notification.requestPermission();
  flash(result === 'granted' ? 'Notifikasi aktif · Notifications on' : 'Notifikasi ditolak · Notifications blocked');
});

/** Browsers only allow sound after a user gesture: create the audio context on the first click. */
function unlockAudio() {
  if (audioContext || !window.AudioContext) return;
  try {
    audioContext = new AudioContext();
  } catch {
    audioContext = null;
  }
}

/** A new handoff: a short two-tone beep and, when permitted, a desktop notification. */
function announce(ticket) {
  if (audioContext) {
    try {
      const now = audioContext.currentTime;
      for (const [i, freq] of [880, 1320].entries()) {
        const osc = audioContext.createOscillator();
        const gain = audioContext.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.15, now + i * 0.15);
        gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.15 + 0.14);
        osc.connect(gain).connect(audioContext.destination);
        osc.start(now + i * 0.15);
        osc.stop(now + i * 0.15 + 0.15);
      }
    } catch {
      /* no sound: the queue still shows it */
    }
  }
  if ('Notification' in window && Notification.permission === 'granted') {
    // Notification text is plain text by definition (never parsed as HTML).
    const n = new Notification(`Tiket baru · New handoff ${ticket.number}`, {
      body: `${ticket.category} · ${ticket.preview}`,
      tag: ticket.id,
    });
    n.onclick = () => {
      window.focus();
      location.hash = `#/ticket/${ticket.id}`;
    };
  }
}

// ---- queue view ------------------------------------------------------------------------------

$('team-filter').addEventListener('change', renderQueue);
$('take-next').addEventListener('click', async () => {
  try {
    const res = await api('POST', '/api/tickets/take-next');
    if (!res.ticket) return flash('Tidak ada tiket menunggu · Nothing is waiting');
    location.hash = `#/ticket/${res.ticket.id}`;
  } catch (err) {
    flash(err.message, 'error');
  }
});

function visibleTickets() {
  const filter = $('team-filter').value;
  const teams = state.me?.teams || [];
  const order = (a, b) => {
    const wa = a.status === 'new' || a.status === 'escalated' ? 0 : 1;
    const wb = b.status === 'new' || b.status === 'escalated' ? 0 : 1;
    return wa - wb || a.priority - b.priority || a.slaDeadline - b.slaDeadline || a.createdAt - b.createdAt;
  };
  return [...state.tickets.values()]
    .filter((t) => (filter === 'mine' ? teams.includes(t.team) || t.assignee === state.me?.username : true))
    .filter((t) => (filter && filter !== 'mine' ? t.team === filter : true))
    .sort(order);
}

function ownerText(t) {
  if (!t.assignee) return '';
  const who = t.assigneeName || t.assignee;
  return t.assignee === state.me?.username ? `Anda · You` : `Diambil oleh ${who} · Taken by ${who}`;
}

function renderQueue() {
  // Team filter options follow the teams seen.
  const select = $('team-filter');
  const teams = new Set([...state.tickets.values()].map((t) => t.team));
  for (const team of teams) {
    if (![...select.options].some((o) => o.value === team)) select.append(el('option', { value: team }, team));
  }
  const now = Date.now();
  const rows = visibleTickets().map((t) => {
    const waiting = t.status === 'new' || t.status === 'escalated';
    const sla = slaState(t, now);
    const claim =
      waiting && canWork()
        ? el(
            'button',
            { type: 'button', className: 'claim', dataset: { id: t.id }, onclick: (e) => claimFromQueue(e, t.id) },
            'Ambil · Claim',
          )
        : null;
    return el(
      'tr',
      {
        className: `queue__row queue__row--${t.status}`,
        dataset: { id: t.id, number: t.number },
        onclick: () => (location.hash = `#/ticket/${t.id}`),
      },
      el(
        'td',
        {},
        el('span', { className: `prio prio--${t.priority}` }, PRIORITY_LABEL[t.priority] || `P${t.priority}`),
        ' ',
        el('span', { className: 'muted' }, t.category),
      ),
      el('td', {}, el('a', { href: `#/ticket/${t.id}` }, t.number)),
      el('td', {}, t.customerName || t.channel),
      el('td', { className: 'preview' }, t.preview),
      el('td', {}, t.team),
      el('td', { className: 'wait', dataset: { since: t.createdAt } }, formatDuration(now - t.createdAt)),
      el('td', { className: `sla sla--${sla.state}` }, slaText(sla)),
      el(
        'td',
        { className: 'status' },
        statusLabel(t.status),
        el('br'),
        el('span', { className: 'owner muted' }, ownerText(t)),
      ),
      el('td', {}, claim),
    );
  });
  replaceChildren($('queue-body'), rows);
  $('queue-empty').hidden = rows.length > 0;
}

async function claimFromQueue(event, id) {
  event.stopPropagation();
  try {
    const res = await api('POST', `/api/tickets/${id}/claim`);
    upsert({ ...res.ticket, preview: state.tickets.get(id)?.preview ?? '', assigneeName: state.me.displayName });
    location.hash = `#/ticket/${id}`;
  } catch (err) {
    if (err.code === 'TICKET_TAKEN')
      flash(`Sudah diambil oleh ${err.details.ownerName} · Already taken by ${err.details.ownerName}`, 'error');
    else flash(err.message, 'error');
  }
}

// Wait times and SLA countdowns tick every second without re-rendering the rows.
setInterval(() => {
  const now = Date.now();
  for (const row of $('queue-body').children) {
    const t = state.tickets.get(row.dataset.id);
    if (!t) continue;
    row.querySelector('.wait').textContent = formatDuration(now - t.createdAt);
    const sla = slaState(t, now);
    const cell = row.querySelector('.sla');
    cell.className = `sla sla--${sla.state}`;
    cell.textContent = slaText(sla);
  }
}, 1000);

// ---- audit view ------------------------------------------------------------------------------

async function showAudit() {
  try {
    const res = await api('GET', '/api/audit?limit=200');
    replaceChildren(
      $('audit-body'),
      res.entries.map((e) =>
        el(
          'tr',
          {},
          el('td', {}, formatTime(e.at)),
          el('td', {}, `${e.actor.username} (${e.actor.role})`),
          el('td', {}, e.action),
          el('td', {}, e.ticketId ? el('a', { href: `#/ticket/${e.ticketId}` }, e.ticketId.slice(0, 8)) : ''),
          el(
            'td',
            {},
            e.detail
              ? Object.entries(e.detail)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join(', ')
              : '',
          ),
        ),
      ),
    );
  } catch (err) {
    flash(err.message, 'error');
  }
}

// ---- routing ---------------------------------------------------------------------------------

function route() {
  if (!state.me) return;
  const hash = location.hash || '#/queue';
  const ticket = /^#\/ticket\/(.+)$/.exec(hash);
  for (const id of ['queue-view', 'ticket-view', 'supervisor-view', 'audit-view', 'whatsapp-view']) $(id).hidden = true;
  stopSupervisor();
  stopWhatsApp();
  if (ticket) {
    $('ticket-view').hidden = false;
    openTicket(decodeURIComponent(ticket[1]));
    return;
  }
  closeTicket();
  if (hash === '#/supervisor' && canSupervise()) {
    $('supervisor-view').hidden = false;
    showSupervisor();
  } else if (hash === '#/audit' && canSupervise()) {
    $('audit-view').hidden = false;
    showAudit();
  } else if (hash === '#/whatsapp' && canManageChannels()) {
    $('whatsapp-view').hidden = false;
    showWhatsApp();
  } else {
    $('queue-view').hidden = false;
    renderQueue();
  }
}

window.addEventListener('hashchange', route);
bindWhatsApp();
start();
