/** What the console's modules share: who is logged in, the open tickets, small helpers. */
import { $ } from './dom.js';

export const state = { me: null, tickets: new Map() };

const STATUS_LABEL = {
  new: 'Baru · New',
  in_progress: 'Ditangani · In progress',
  waiting_customer: 'Tunggu pelanggan · Waiting',
  escalated: 'Eskalasi · Escalated',
  resolved: 'Selesai · Resolved',
};

export const statusLabel = (s) => STATUS_LABEL[s] || s;
export const canWork = () => ['agent', 'supervisor', 'admin'].includes(state.me?.role);
export const canSupervise = () => ['supervisor', 'admin'].includes(state.me?.role);
/** `channels:manage`: connecting the WhatsApp Web number. */
export const canManageChannels = () => state.me?.role === 'admin';

/** A short message under the top bar. */
export function flash(text, kind = 'info') {
  const node = $('flash');
  node.textContent = text;
  node.className = `flash flash--${kind}`;
  node.hidden = false;
  clearTimeout(flash.timer);
  flash.timer = setTimeout(() => (node.hidden = true), 6000);
}
