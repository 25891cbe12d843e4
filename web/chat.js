// The web chat: a thin client of the REST channel (POST /channels/rest/messages).
// Everything customers or the bot write is inserted as text (textContent), never as HTML.
'use strict';

(function () {
  const log = document.getElementById('log');
  const form = document.getElementById('form');
  const input = document.getElementById('text');
  const status = document.getElementById('status');
  const localeSelect = document.getElementById('locale');

  const SENDER_KEY = 'majujaya.sender';
  let sender = localStorage.getItem(SENDER_KEY) || newSender();

  function newSender() {
    const id = 'web-' + (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
    localStorage.setItem(SENDER_KEY, id);
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
    return '';
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
      status.textContent = body.state === 'queued' ? 'Menunggu petugas…' : '';
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
        box.querySelectorAll('button').forEach(function (x) { x.disabled = true; });
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
    log.textContent = '';
    status.textContent = '';
    input.focus();
  });

  add('bot', 'Halo! Saya asisten virtual MAJU JAYA. Tanya apa saja soal toko, paket internet MAJU NET, tagihan, atau gangguan ya, Kak. 😊\nHi! Ask me anything in Indonesian or English.');
  input.focus();
})();
