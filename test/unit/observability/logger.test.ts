import { Writable } from 'node:stream';
import { createLogger, pseudonym } from '../../../src/observability/logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

test('message text, sender ids, names, tokens and auth headers never reach the log', () => {
  const { lines, logger } = capture();
  logger.info(
    {
      text: 'nomor saya 081234567890',
      inbound: { senderId: '6281234567890', customerName: 'Budi', text: 'rahasia' },
      req: { headers: { authorization: 'Bearer s3cr3t', cookie: 'sid=abc' } },
      token: 'bot-token',
    },
    'handled',
  );
  const out = lines.join('');
  for (const secret of ['081234567890', '6281234567890', 'Budi', 'rahasia', 's3cr3t', 'sid=abc', 'bot-token']) {
    expect(out).not.toContain(secret);
  }
  expect(out).toContain('[REDACTED]');
});

test('pseudonyms are stable, short and do not contain the id', () => {
  expect(pseudonym('rest:6281234567890')).toBe(pseudonym('rest:6281234567890'));
  expect(pseudonym('rest:6281234567890')).toHaveLength(12);
  expect(pseudonym('rest:6281234567890')).not.toContain('628');
  expect(pseudonym('a')).not.toBe(pseudonym('b'));
});
