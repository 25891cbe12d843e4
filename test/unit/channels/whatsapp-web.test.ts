import {
  classifyMessage,
  encodeMessage,
  jidOfSender,
  senderIdOf,
} from '../../../src/channels/whatsapp-web/whatsapp-web.codec';
import { backoffDelay, decideReconnect, DISCONNECT } from '../../../src/channels/whatsapp-web/reconnect';
import { nextSendAt } from '../../../src/channels/whatsapp-web/pacing';

const AT = 1_733_400_000_000;
const msg = (key: Record<string, unknown>, message: Record<string, unknown>, pushName?: string) => ({
  key: { id: 'ABC123', fromMe: false, ...key },
  message,
  pushName,
});

describe('whatsapp-web codec', () => {
  it('reads plain and extended text from a phone-number chat; id is chat + key id', () => {
    const c = classifyMessage(
      msg({ remoteJid: '6281234567890@s.whatsapp.net' }, { conversation: 'halo kak' }, 'Budi'),
      AT,
    );
    expect(c).toEqual({
      kind: 'message',
      jid: '6281234567890@s.whatsapp.net',
      inbound: {
        channel: 'whatsapp-web',
        senderId: '6281234567890',
        messageId: '6281234567890:ABC123',
        text: 'halo kak',
        receivedAt: AT,
        customerName: 'Budi',
      },
    });
    const e = classifyMessage(
      msg({ remoteJid: '6281234567890@s.whatsapp.net' }, { extendedTextMessage: { text: 'cek tagihan' } }),
      AT,
    );
    expect(e.kind === 'message' && e.inbound.text).toBe('cek tagihan');
  });

  it('keys a LID sender by its phone number when remoteJidAlt gives it, else by the LID', () => {
    const withAlt = classifyMessage(
      msg({ remoteJid: '123456789@lid', remoteJidAlt: '6281234567890@s.whatsapp.net' }, { conversation: 'x' }),
      AT,
    );
    expect(withAlt.kind === 'message' && withAlt.inbound.senderId).toBe('6281234567890');
    expect(withAlt.kind === 'message' && withAlt.jid).toBe('123456789@lid');
    const lidOnly = classifyMessage(msg({ remoteJid: '123456789:4@lid' }, { conversation: 'x' }), AT);
    expect(lidOnly.kind === 'message' && lidOnly.inbound.senderId).toBe('123456789@lid');
    expect(senderIdOf('123456789@lid', [undefined, '6281@s.whatsapp.net'])).toBe('6281');
    expect(jidOfSender('6281')).toBe('6281@s.whatsapp.net');
    expect(jidOfSender('123456789@lid')).toBe('123456789@lid');
  });

  it('ignores status broadcasts and groups (unless allowed), protocol messages and malformed ones', () => {
    expect(classifyMessage(msg({ remoteJid: 'status@broadcast' }, { conversation: 'x' }), AT)).toEqual({
      kind: 'ignore',
      reason: 'status_broadcast',
    });
    const group = msg({ remoteJid: '1203630@g.us', participant: '6281@s.whatsapp.net' }, { conversation: 'x' });
    expect(classifyMessage(group, AT)).toEqual({ kind: 'ignore', reason: 'group_chat' });
    const allowed = classifyMessage(group, AT, { allowGroups: true });
    expect(allowed.kind === 'message' && allowed.inbound.senderId).toBe('1203630@g.us');
    expect(classifyMessage(msg({ remoteJid: '6281@s.whatsapp.net' }, { protocolMessage: { type: 0 } }), AT)).toEqual({
      kind: 'ignore',
      reason: 'protocol',
    });
    expect(classifyMessage({ key: { remoteJid: '6281@s.whatsapp.net' }, message: { conversation: 'x' } }, AT)).toEqual({
      kind: 'ignore',
      reason: 'malformed',
    });
    expect(classifyMessage(msg({ remoteJid: '6281@s.whatsapp.net' }, { pollCreationMessage: {} }), AT)).toEqual({
      kind: 'ignore',
      reason: 'unsupported',
    });
  });

  it('classifies captions by their text and keeps the attachment; unwraps ephemeral messages', () => {
    const img = classifyMessage(
      msg(
        { remoteJid: '6281@s.whatsapp.net' },
        { ephemeralMessage: { message: { imageMessage: { caption: 'struk bayar' } } } },
      ),
      AT,
    );
    expect(img.kind === 'message' && img.inbound).toMatchObject({ text: 'struk bayar', attachment: { kind: 'photo' } });
    const doc = classifyMessage(
      msg(
        { remoteJid: '6281@s.whatsapp.net' },
        { documentWithCaptionMessage: { message: { documentMessage: { caption: 'tagihan', fileName: 'inv.pdf' } } } },
      ),
      AT,
    );
    expect(doc.kind === 'message' && doc.inbound).toMatchObject({
      text: 'tagihan',
      attachment: { kind: 'document', detail: 'inv.pdf' },
    });
    const voice = classifyMessage(msg({ remoteJid: '6281@s.whatsapp.net' }, { audioMessage: { ptt: true } }), AT);
    expect(voice.kind === 'message' && voice.inbound).toMatchObject({ text: '', attachment: { kind: 'voice' } });
  });

  it('reads old-style button and list replies as choices', () => {
    const b = classifyMessage(
      msg(
        { remoteJid: '6281@s.whatsapp.net' },
        { buttonsResponseMessage: { selectedButtonId: 'c2', selectedDisplayText: 'Tagihan' } },
      ),
      AT,
    );
    expect(b.kind === 'message' && b.inbound).toMatchObject({ choice: 'c2', text: 'Tagihan' });
    const l = classifyMessage(
      msg(
        { remoteJid: '6281@s.whatsapp.net' },
        { listResponseMessage: { title: 'TV', singleSelectReply: { selectedRowId: 'c3' } } },
      ),
      AT,
    );
    expect(l.kind === 'message' && l.inbound.choice).toBe('c3');
  });

  it('reports fromMe messages (ours or typed on the business phone) separately', () => {
    expect(
      classifyMessage(
        msg({ remoteJid: '6281@s.whatsapp.net', fromMe: true, id: 'OUT1' }, { conversation: 'siap kak' }),
        AT,
      ),
    ).toEqual({
      kind: 'from_me',
      jid: '6281@s.whatsapp.net',
      senderId: '6281',
      messageId: '6281:OUT1',
      text: 'siap kak',
    });
  });

  it('encodes choices as numbered lines and prefixes agents by name', () => {
    expect(
      encodeMessage({
        text: 'Maksud Kakak yang mana?',
        choices: [
          { id: 'a', label: 'Tagihan' },
          { id: 'b', label: 'Gangguan' },
        ],
      }),
    ).toEqual(['Maksud Kakak yang mana?\n1. Tagihan\n2. Gangguan']);
    expect(encodeMessage({ text: 'Halo', from: { kind: 'agent', name: 'Sari' } })).toEqual(['*Sari*: Halo']);
  });
});

describe('whatsapp-web reconnect decisions', () => {
  it.each([
    [DISCONNECT.loggedOut, 'logged_out', true],
    [DISCONNECT.forbidden, 'forbidden', false],
    [DISCONNECT.connectionReplaced, 'connection_replaced', false],
    [DISCONNECT.badSession, 'bad_session', true],
    [DISCONNECT.multideviceMismatch, 'multidevice_mismatch', true],
  ])('code %i stops (no reconnect loop) with reason %s', (code, reason, clearAuth) => {
    expect(decideReconnect(code, 1, 0.5)).toEqual({ action: 'stop', reason, clearAuth });
  });

  it('restartRequired (515) reconnects at once', () => {
    expect(decideReconnect(DISCONNECT.restartRequired, 3, 0.9)).toEqual({ action: 'reconnect', delayMs: 0 });
  });

  it.each([DISCONNECT.connectionLost, DISCONNECT.connectionClosed, DISCONNECT.unavailableService, undefined])(
    'code %p backs off exponentially with jitter and a cap',
    (code) => {
      const opts = { baseMs: 1_000, capMs: 30_000, jitter: 0.2 };
      expect(decideReconnect(code, 1, 0.5, opts)).toEqual({ action: 'reconnect', delayMs: 1_000 });
      expect(decideReconnect(code, 3, 0.5, opts)).toEqual({ action: 'reconnect', delayMs: 4_000 });
      expect(decideReconnect(code, 20, 0.5, opts)).toEqual({ action: 'reconnect', delayMs: 30_000 });
      expect(backoffDelay(20, 0, opts)).toBe(24_000);
      expect(backoffDelay(20, 0.999999, opts)).toBeLessThanOrEqual(36_000);
      expect(backoffDelay(2, 0, opts)).toBe(1_600);
    },
  );
});

describe('whatsapp-web pacing', () => {
  it('sends the first message at once and spaces the next by 1/perSecond plus jitter', () => {
    const opts = { perSecond: 2, jitterMs: 400 };
    expect(nextSendAt(undefined, 10_000, 0.7, opts)).toBe(10_000);
    expect(nextSendAt(10_000, 10_000, 0, opts)).toBe(10_500);
    expect(nextSendAt(10_000, 10_000, 0.5, opts)).toBe(10_700);
    // Long after the last message: now.
    expect(nextSendAt(1_000, 10_000, 0.5, opts)).toBe(10_000);
  });
});
