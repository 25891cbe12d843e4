/**
 * Conversations paused because a person answers on the business phone (WhatsApp Web): the bot is
 * silent there until an agent hands it back. Shown under the queue; customer names go in as text.
 */
import { api } from './api.js';
import { $, el, formatTime, replaceChildren } from './dom.js';
import { canWork, flash } from './state.js';

export const PAUSED_LABEL = 'Dijeda: ditangani lewat HP · Paused: handled on the phone';

/** Hands a conversation back to the bot; `done` runs after it worked. */
export async function handBack(conversationId, done) {
  try {
    await api('POST', `/api/conversations/${encodeURIComponent(conversationId)}/hand-back`, {});
    flash('Bot melanjutkan percakapan ini · The bot answers this conversation again');
    done?.();
  } catch (err) {
    flash(err.message, 'error');
  }
}

export async function loadPaused() {
  try {
    const res = await api('GET', '/api/conversations/paused');
    const rows = res.conversations.map((c) =>
      el(
        'li',
        {},
        el('strong', {}, c.customerName || c.senderId),
        ` · ${c.channel} · ${PAUSED_LABEL} · ${formatTime(c.since)} `,
        canWork()
          ? el(
              'button',
              { type: 'button', onclick: () => handBack(c.conversationId, loadPaused) },
              'Serahkan ke bot · Hand back',
            )
          : null,
      ),
    );
    replaceChildren($('paused-list'), rows);
    $('paused').hidden = rows.length === 0;
  } catch {
    $('paused').hidden = true;
  }
}
