// The web chat: a thin client of the REST channel. POST /channels/rest/messages sends what the
// customer types and shows the bot's replies; GET /channels/rest/messages?sender=…&after=<cursor>
// polls for what is sent later (an agent's replies, the CSAT question): every 2 s while a person
// is involved, every 10 s otherwise, not at all while the tab is hidden.
// Everything customers, agents or the bot write is inserted as text (textContent), never as HTML.
'use strict';

(function () {
  const log = document.getElementById('log');
  const form = document.getElementById('form');
  const input = document.getElementById('text');
  const status = document.getElementById('status');
  const localeSelect = document.getElementById('locale');

  const SENDER_KEY = 'majujaya.sender';
  // The last outbox message shown, so a reload shows only what arrived while the page was closed.
  const CURSOR_KEY = 'majujaya.cursor';
  const FAST_POLL_MS = 2000;
  const SLOW_POLL_MS = 10000;
  let cursor = localStorage.getItem(CURSOR_KEY) || '';
  let sender = localStorage.getItem(SENDER_KEY) || newSender();
  // True from a handoff until the conversation is back with the bot: poll fast.
  let humanInvolved = false;
  let pollTimer = 0;
  let polling = false;

  function newSender() {
    const id =
      'web-' + (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
    localStorage.setItem(SENDER_KEY, id);
    localStorage.removeItem(CURSOR_KEY);
    cursor = '';
    return id;
  }

  function add(kind, text, meta) {
    const li = document.createElement('li');
    li.className = 'msg msg--' + kind;
    li.textContent = text;
    if (meta) {
      const small = document.createElement('span');
      small.className = 'msg__meta';
      small.textContent = meta;
      li.appendChild(small);
    }
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    return li;
  }

  function describe(body) {
    if (body.action === 'handoff' && body.ticketNumber) return 'Diteruskan ke petugas · tiket ' + body.ticketNumber;
    if (body.action === 'relay') return 'Diteruskan ke petugas';
    if (body.action === 'cancel') return 'Kembali ke asisten virtual';
    return '';
  }

  // One outbox message: an agent's (with their name) or the bot's (maybe with buttons).
  function show(message) {
    if (message.from && message.from.kind === 'agent') {
      add('agent', message.text, message.from.name + ' · Petugas MAJU JAYA');
      humanInvolved = true;
      status.textContent = 'Terhubung dengan petugas';
      status.className = 'chat__status';
      return;
    }
    const li = add('bot', message.text, '');
    if (message.buttons && message.buttons.length) addChoices(li, message.buttons);
  }

  async function poll() {
    if (polling || document.hidden) return;
    polling = true;
    try {
      const query = new URLSearchParams({ sender: sender });
      if (cursor) query.set('after', cursor);
      const res = await fetch('/channels/rest/messages?' + query.toString(), { cache: 'no-store' });
      if (res.ok) {
        const body = await res.json();
        body.messages.forEach(show);
        cursor = body.cursor;
        localStorage.setItem(CURSOR_KEY, cursor);
      }
    } catch (err) {
      // Offline for a moment: the next poll catches up from the same cursor.
    } finally {
      polling = false;
    }
  }

  function schedule(delay) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(function () {
      poll().finally(function () {
        schedule(humanInvolved ? FAST_POLL_MS : SLOW_POLL_MS);
      });
    }, delay);
  }

  async function send(payload, shown) {
    if (shown) add('me', shown);
    status.textContent = '…';
    status.className = 'chat__status';
    try {
      const locale = localeSelect.value;
      const res = await fetch('/channels/rest/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Object.assign({ sender: sender }, locale ? { locale: locale } : {}, payload)),
      });
      const body = await res.json();
      if (!res.ok) throw new Error((body.error && body.error.message) || res.statusText);
      body.replies.forEach(function (reply, i) {
        const li = add('bot', reply.text, i === body.replies.length - 1 ? describe(body) : '');
        if (reply.choices && reply.choices.length) addChoices(li, reply.choices);
      });
      status.textContent =
        body.state === 'queued' ? 'Menunggu petugas…' : body.state === 'with_agent' ? 'Terhubung dengan petugas' : '';
      if (body.state === 'queued' || body.state === 'with_agent') humanInvolved = true;
      else if (body.action === 'csat' || body.action === 'cancel') humanInvolved = false;
      if (humanInvolved) schedule(FAST_POLL_MS);
    } catch (err) {
      status.textContent = 'Gagal mengirim: ' + err.message;
      status.className = 'chat__status chat__status--error';
    }
  }

  function addChoices(li, choices) {
    const box = document.createElement('div');
    box.className = 'choices';
    choices.forEach(function (choice) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = choice.label;
      b.dataset.choice = choice.id;
      b.addEventListener('click', function () {
        box.querySelectorAll('button').forEach(function (x) {
          x.disabled = true;
        });
        send({ text: '', choice: choice.id }, choice.label);
      });
      box.appendChild(b);
    });
    li.appendChild(box);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send({ text: text }, text);
  });

  document.getElementById('reset').addEventListener('click', function () {
    sender = newSender();
    humanInvolved = false;
    log.textContent = '';
    status.textContent = '';
    input.focus();
  });

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) schedule(0);
  });

  add(
    'bot',
    'Halo! Saya asisten virtual MAJU JAYA. Tanya apa saja soal toko, paket internet MAJU NET, tagihan, atau gangguan ya, Kak. 😊\nHi! Ask me anything in Indonesian or English.',
  );
  input.focus();
  schedule(0);
})();
