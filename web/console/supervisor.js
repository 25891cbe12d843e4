/** The supervisor view: queue depth and oldest wait per team, SLA attainment, agents and load, alerts. */
import { api } from './api.js';
import { $, el, formatDuration, formatTime, replaceChildren } from './dom.js';
import { flash } from './state.js';

const REFRESH_MS = 10_000;
const MAX_ALERTS = 50;
let timer = null;
const alerts = [];

export function showSupervisor() {
  load();
  renderAlerts();
  clearInterval(timer);
  timer = setInterval(load, REFRESH_MS);
}

export function stopSupervisor() {
  clearInterval(timer);
  timer = null;
}

/** Alerts are kept even while another view is open; ticket events refresh the numbers. */
export function onSupervisorEvent(event) {
  if (event.type === 'supervisor_alert') {
    alerts.unshift(event);
    alerts.length = Math.min(alerts.length, MAX_ALERTS);
    flash(`⚠ ${event.message.id}`, 'warning');
    renderAlerts();
  }
  if (timer) load();
}

async function load() {
  try {
    const o = await api('GET', '/api/supervisor/overview');
    $('sla-attainment').textContent = o.sla.attainment === null ? '–' : `${Math.round(o.sla.attainment * 100)}%`;
    $('sla-detail').textContent = `tepat ${o.sla.met} · lewat ${o.sla.breached} · berjalan ${o.sla.pending}`;
    $('agents-online').textContent = String(o.agents.length);
    replaceChildren(
      $('teams-body'),
      o.teams.map((t) =>
        el(
          'tr',
          {},
          el('td', {}, t.team),
          el('td', {}, String(t.depth)),
          el('td', {}, t.oldestWaitMs === null ? '—' : formatDuration(t.oldestWaitMs)),
          el('td', {}, String(t.counts.in_progress)),
          el('td', {}, String(t.counts.waiting_customer)),
          el('td', {}, String(t.counts.escalated)),
          el('td', { className: t.breachedOpen ? 'sla--breached' : '' }, String(t.breachedOpen)),
        ),
      ),
    );
    replaceChildren(
      $('agents-body'),
      o.agents.map((a) =>
        el(
          'tr',
          {},
          el('td', {}, `${a.displayName} (${a.username})`),
          el('td', {}, a.teams.join(', ')),
          el('td', {}, String(a.open)),
        ),
      ),
    );
  } catch (err) {
    flash(err.message, 'error');
  }
}

function renderAlerts() {
  replaceChildren(
    $('alerts'),
    alerts.map((a) =>
      el('li', { className: `alert alert--${a.alert}` }, `${formatTime(a.at)} · ${a.message.id} · ${a.message.en}`),
    ),
  );
}
