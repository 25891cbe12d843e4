import { validateCanned } from '../../../src/content/canned';

const file = (text: string) => [{ file: 'templates/canned/a.yaml', text }];

test('valid canned responses come back with their titles and texts', () => {
  const result = validateCanned(
    file(`canned:
  opening:
    title: { id: Salam, en: Hello }
    text: { id: "Halo {{customer_name}}, saya {{agent_name}}", en: "Hi {{customer_name}}, I am {{agent_name}}" }
`),
  );
  expect(result).toEqual({
    ok: true,
    responses: [
      {
        id: 'opening',
        title: { id: 'Salam', en: 'Hello' },
        text: { id: 'Halo {{customer_name}}, saya {{agent_name}}', en: 'Hi {{customer_name}}, I am {{agent_name}}' },
        file: 'templates/canned/a.yaml',
      },
    ],
  });
});

test('a missing locale and a bad id are reported', () => {
  const missing = validateCanned(
    file(`canned:\n  opening:\n    title: { id: Salam, en: Hello }\n    text: { id: X }\n`),
  );
  expect(JSON.stringify(missing)).toMatch(/needs English text/);
  const badId = validateCanned(file(`canned:\n  Bad-Id:\n    title: { id: X, en: X }\n    text: { id: X, en: X }\n`));
  expect(badId).toEqual({
    ok: false,
    problems: [expect.objectContaining({ line: 2, message: expect.stringContaining('snake_case') })],
  });
});

test('a variable the console does not fill in is an error at its line', () => {
  const result = validateCanned(
    file(`canned:
  opening:
    title: { id: Salam, en: Hello }
    text:
      id: "Halo {{sla}}"
      en: "Hi"
`),
  );
  expect(result).toEqual({
    ok: false,
    problems: [
      expect.objectContaining({
        file: 'templates/canned/a.yaml',
        line: 5,
        message: expect.stringContaining('{{sla}}'),
      }),
    ],
  });
});

test('the same id in two files is an error', () => {
  const body = `canned:\n  opening:\n    title: { id: A, en: A }\n    text: { id: A, en: A }\n`;
  const result = validateCanned([
    { file: 'templates/canned/a.yaml', text: body },
    { file: 'templates/canned/b.yaml', text: body },
  ]);
  expect(result.ok).toBe(false);
});
