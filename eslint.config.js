// Lint rules: typescript-eslint's recommended set, plus the house rule that pure folders import no I/O.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const ioModules = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'ioredis', 'express', 'grammy', '@whiskeysockets/baileys', 'node:http', 'http', 'node:net', 'net', 'pino'];

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'test-artifacts/', 'web/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/domain/**', 'src/auth/**', 'src/nlu/**', 'src/dialogue/**', 'src/handoff/sla.ts', 'src/handoff/business-hours.ts', 'src/handoff/assignment.ts', 'src/handoff/availability.ts', 'src/handoff/reopen.ts', 'src/channels/**/*.codec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules.map((name) => ({ name, message: 'Pure modules import no I/O (see ARCHITECTURE.md).' })) }],
      'no-restricted-globals': ['error', { name: 'process', message: 'Pure modules do not read the environment.' }],
    },
  },
);
