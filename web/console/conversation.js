/**
 * The conversation view: the context packet, the transcript, notes, customer notes, the reply box
 * with canned responses, and the claim / status / transfer / resolve buttons. Re-read on every
 * live event about the open ticket, and every 10 s for customer messages that arrive meanwhile.
 */
import { api } from './api.js';
import { $, el, formatTime, replaceChildren } from './dom.js';
import { slaState, slaText } from './sla.js';
import { canWork, flash, state, statusLabel } from './state.js';
import { handBack, PAUSED_LABEL } from './paused.js';

const REFRESH_MS = 10_000;
/** The platform's word on our latest message to the customer (WhatsApp Cloud status events). */
const DELIVERY_LABELS = {
  sent: 'Terkirim · Sent',
  delivered: 'Sampai · Delivered',
  read: 'Dibaca · Read',
  failed: 'Gagal terkirim · Not delivered',
};
let current = null; // { id, ticket, names, customerNotes }
let refreshTimer = null;
let canned = null; // the /api/canned answer

export async function openTicket(id) {
  if (current?.id !== id) {
    current = { id };
    replaceChildren($('transcript'));
    replaceChildren($('context'));
    $('ticket-title').textContent = '…';
  }
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => load(id), REFRESH_MS);
  await Promise.all([load(id), loadCanned()]);
}

export function closeTicket() {
  clearInterval(refreshTimer);
  current = null;
}

/** A live event: re-read the open ticket when it is the one that changed. */
export function onTicketEvent(event) {
  if (current && event.ticket?.id === current.id) load(current.id);
}

async function load(id) {
  try {
    const res = await api('GET', `/api/tickets/${encodeURIComponent(id)}`);
    if (current?.id !== id) return;
    current = { id, ...res };
    render();
  } catch (err) {
    flash(err.message, 'error');
  }
}

async function loadCanned() {
  if (canned || !canWork()) return;
  try {
    canned = await api('GET', '/api/canned');
    const select = $('canned-select');
    for (const r of canned.responses) select.append(el('option', { value: r.id }, `${r.title.id} · ${r.title.en}`));
  } catch {
    canned = { responses: [], defaults: {} };
  }
}

const name = (username) => current?.names?.[username] || username;

/** Raster images the server shows inline (the same list as the attachment route). */
const INLINE_IMAGES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/**
 * A customer's file: a thumbnail for images, a download link otherwise. The file comes through
 * the app (`/api/tickets/:id/attachments/:index`), never from the platform; the file name is the
 * customer's, so it goes in as text.
 */
function attachmentView(ticketId, index, attachment) {
  const href = `/api/tickets/${encodeURIComponent(ticketId)}/attachments/${index}`;
  const label = attachment.fileName || attachment.kind.replace('_', ' ');
  const size = typeof attachment.size === 'number' ? ` · ${formatBytes(attachment.size)}` : '';
  const image = INLINE_IMAGES.includes(attachment.mimeType);
  return el(
    'div',
    { className: 'turn__attachment' },
    image
      ? el(
          'a',
          { href, target: '_blank', rel: 'noopener', className: 'turn__thumb' },
          el('img', { src: href, alt: `${label} (gambar pelanggan · customer image)`, loading: 'lazy' }),
        )
      : null,
    el(
      'a',
      { href, className: 'turn__file', ...(image ? { target: '_blank', rel: 'noopener' } : { download: '' }) },
      `📎 ${label}${size} · Unduh · Download`,
    ),
  );
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function render() {
  const t = current.ticket;
  const mine = t.assignee === state.me.username;
  $('ticket-title').textContent = `${t.number} · ${t.customerName || t.senderId}`;
  $('ticket-status').textContent = statusLabel(t.status);
  $('ticket-status').className = `badge badge--${t.status}`;
  $('ticket-owner').textContent = t.assignee ? `Pemilik · Owner: ${name(t.assignee)}` : 'Belum diambil · Unclaimed';

  // A person answers this customer on the business phone: the bot is silent until handed back.
  $('ticket-paused').hidden = !current.takeover;
  $('ticket-paused').textContent = current.takeover ? `${PAUSED_LABEL} · ${formatTime(current.takeover.since)}` : '';
  $('act-hand-back').hidden = !current.takeover || !canWork();
  const delivery = current.delivery;
  $('ticket-delivery').hidden = !delivery;
  $('ticket-delivery').textContent = delivery
    ? `Pesan terakhir · Last message: ${DELIVERY_LABELS[delivery.state] ?? delivery.state} · ${formatTime(delivery.at)}`
    : '';
  $('ticket-delivery').classList.toggle('delivery--failed', delivery?.state === 'failed');

  renderContext(t);
  replaceChildren(
    $('transcript'),
    t.messages.map((m, index) =>
      el(
        'li',
        { className: `turn turn--${m.from}` },
        el('span', { className: 'turn__who' }, whoSaid(m)),
        el('span', { className: 'turn__when' }, formatTime(m.at)),
        el('p', { className: 'turn__text' }, m.text),
        m.attachment?.ref ? attachmentView(t.id, index, m.attachment) : null,
      ),
    ),
  );
  $('transcript').lastElementChild?.scrollIntoView({ block: 'nearest' });

  replaceChildren(
    $('notes'),
    t.notes.map((n) =>
      el(
        'li',
        {},
        el('strong', {}, name(n.author)),
        ' ',
        el('span', { className: 'muted' }, formatTime(n.at)),
        el('p', {}, n.text),
      ),
    ),
  );
  replaceChildren(
    $('history'),
    t.history.map((h) =>
      el(
        'li',
        {},
        `${formatTime(h.at)} · ${statusLabel(h.from)} → ${statusLabel(h.to)} · ${h.actor.role === 'customer' ? 'pelanggan' : name(h.actor.id)}`,
        h.assignee ? ` · → ${name(h.assignee)}` : '',
        h.team ? ` · tim ${h.team}` : '',
        h.note ? el('p', { className: 'muted' }, h.note) : null,
      ),
    ),
  );

  const waiting = t.status === 'new' || t.status === 'escalated';
  const open = t.status !== 'resolved';
  const lead = state.me.role !== 'agent';
  const owns = mine || lead;
  $('act-claim').hidden = !waiting || !canWork();
  $('act-waiting').hidden = !(t.status === 'in_progress' && owns);
  $('act-progress').hidden = !(t.status === 'waiting_customer' && owns);
  $('act-escalate').hidden = !(open && t.status !== 'escalated' && (owns || waiting));
  $('act-release').hidden = !((t.status === 'in_progress' || t.status === 'waiting_customer') && owns);
  $('act-resolve').hidden = !(open && ((owns && !waiting) || lead));
  $('reply-form').hidden = !(open && owns && !waiting);
  $('transfer-form').hidden = !open || !canWork();

  const teamSelect = $('transfer-team');
  if (teamSelect.options.length <= 1 && canned) {
    // Teams come from the queue seen so far plus the ticket's own.
    const teams = new Set([...state.tickets.values()].map((x) => x.team).concat(t.team));
    for (const team of [...teams].sort()) teamSelect.append(el('option', { value: team }, team));
  }

  $('crm').hidden = !current.customerNotes?.allowed;
  if (current.customerNotes?.allowed && current.crmFor !== t.id) loadCrm(t);
}

function whoSaid(m) {
  if (m.from === 'agent') return `${m.agent || 'Agen'} (agen · agent)`;
  if (m.from === 'bot') return 'Bot';
  if (m.from === 'system') return 'Sistem · System';
  return 'Pelanggan · Customer';
}

function renderContext(t) {
  const c = t.context;
  const sla = slaState(t, Date.now());
  const rows = [
    ['Kategori · Category', c.category],
    ['Intent', c.intent ? `${c.intent} (${pct(c.confidence)})` : '—'],
    [
      'Alternatif · Runner-ups',
      c.ranking
        .slice(1, 4)
        .map((r) => `${r.intent} ${pct(r.confidence)}`)
        .join(', ') || '—',
    ],
    ['Aturan · Rule', c.rule],
    ['Pesan awal · Original message', c.originalText],
    ['Tim · Team', t.team],
    ['Prioritas · Priority', `P${t.priority}`],
    ['Batas SLA · SLA deadline', `${formatTime(t.slaDeadline)} (${slaText(sla)})`],
    ['Saluran · Channel', `${t.channel} · ${t.senderId}`],
  ];
  if (c.clarification) {
    rows.push([
      'Klarifikasi · Clarification',
      `${c.clarification.question} [${c.clarification.options.join(' / ')}] → ${c.clarification.answer}`,
    ]);
  }
  if (c.verification) {
    const fields =
      Object.entries(c.verification.fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ') || '—';
    rows.push([
      'Verifikasi · Verification',
      `${c.verification.verified ? '✓ terverifikasi · verified' : '✗ belum · not verified'} (${fields})`,
    ]);
  }
  replaceChildren(
    $('context'),
    rows.flatMap(([k, v]) => [
      el('dt', {}, k),
      el('dd', { className: k.startsWith('Batas SLA') ? `sla--${sla.state}` : '' }, v),
    ]),
  );
}

const pct = (x) => (typeof x === 'number' ? `${Math.round(x * 100)}%` : '—');

async function loadCrm(t) {
  current.crmFor = t.id;
  try {
    const res = await api(
      'GET',
      `/api/customers/${encodeURIComponent(t.channel)}/${encodeURIComponent(t.senderId)}/notes`,
    );
    $('crm-text').value = res.note?.text ?? '';
    $('crm-meta').textContent = res.note ? `${name(res.note.updatedBy)} · ${formatTime(res.note.updatedAt)}` : '';
  } catch {
    $('crm').hidden = true;
  }
}

// ---- actions ---------------------------------------------------------------------------------

async function act(path, body, done) {
  if (!current?.ticket) return;
  try {
    const res = await api('POST', `/api/tickets/${encodeURIComponent(current.ticket.id)}/${path}`, body);
    if (res.ticket) {
      current = { ...current, ...res, id: current.id };
      render();
    }
    done?.(res);
  } catch (err) {
    if (err.code === 'TICKET_TAKEN')
      flash(`Sudah diambil oleh ${err.details.ownerName} · Already taken by ${err.details.ownerName}`, 'error');
    else flash(err.message, 'error');
  }
}

$('act-claim').addEventListener('click', () => act('claim'));
$('act-hand-back').addEventListener('click', () => {
  if (current?.ticket) handBack(current.ticket.conversationId, () => load(current.id));
});
$('act-waiting').addEventListener('click', () => act('status', { status: 'waiting_customer' }));
$('act-progress').addEventListener('click', () => act('status', { status: 'in_progress' }));
$('act-escalate').addEventListener('click', () => act('status', { status: 'escalated' }));
$('act-release').addEventListener('click', () => act('status', { status: 'new' }));
$('act-resolve').addEventListener('click', () =>
  act('resolve', undefined, () => flash('Tiket selesai; bot melanjutkan · Resolved; the bot takes over again')),
);

/**
 * One id per composed reply: pressing Send again after a failed delivery (the same text) retries
 * that reply instead of recording a second copy; any edit makes it a new reply.
 */
let pendingReply = null;

/** randomUUID exists only on https and localhost; a console on a LAN address over http falls back. */
function newReplyId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

$('reply-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('reply-text').value.trim();
  if (!text) return;
  if (pendingReply?.text !== text) pendingReply = { text, replyId: newReplyId() };
  act('reply', { text, replyId: pendingReply.replyId }, () => {
    pendingReply = null;
    $('reply-text').value = '';
    $('canned-select').value = '';
  });
});

$('note-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('note-text').value.trim();
  if (text) act('note', { text }, () => ($('note-text').value = ''));
});

$('transfer-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const team = $('transfer-team').value;
  const agent = $('transfer-agent').value.trim();
  const note = $('transfer-note').value.trim() || undefined;
  if (!team && !agent) return flash('Pilih tim atau agen · Choose a team or an agent', 'error');
  const body = agent ? { agent, ...(team ? { team } : {}), note } : { team, note };
  act('transfer', body, () => {
    $('transfer-agent').value = '';
    $('transfer-note').value = '';
    flash('Dialihkan · Transferred');
  });
});

/** A canned response goes into the reply box with its variables filled in (the agent can edit it). */
$('canned-select').addEventListener('change', () => {
  const response = canned?.responses.find((r) => r.id === $('canned-select').value);
  if (!response || !current?.ticket) return;
  const t = current.ticket;
  const locale = t.locale === 'en' ? 'en' : 'id';
  const values = {
    customer_name: t.customerName || canned.defaults.customer_name?.[locale] || '',
    agent_name: state.me.displayName,
    ticket_number: t.number,
    business_name: canned.defaults.business_name || '',
    business_hours: canned.defaults.business_hours?.[locale] || '',
  };
  $('reply-text').value = response.text[locale].replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, v) => values[v] ?? '');
  $('reply-text').focus();
});

$('crm-save').addEventListener('click', async () => {
  const t = current?.ticket;
  if (!t) return;
  try {
    const res = await api(
      'PUT',
      `/api/customers/${encodeURIComponent(t.channel)}/${encodeURIComponent(t.senderId)}/notes`,
      {
        text: $('crm-text').value,
      },
    );
    $('crm-meta').textContent = `${name(res.note.updatedBy)} · ${formatTime(res.note.updatedAt)}`;
    flash('Catatan pelanggan disimpan · Customer notes saved');
  } catch (err) {
    flash(err.message, 'error');
  }
});
