/**
 * Jest runs TypeScript through @swc/jest (no type checking: `npm run typecheck` does that).
 * Two projects: `unit` (pure code, memory stores, real Redis, real HTTP) and `e2e` (real Chromium).
 */
const common = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  setupFiles: ['<rootDir>/test/setup-env.js'],
  // Integration hooks start whole apps (NLU training included); on a loaded 2-core machine that
  // can pass Jest's 5 s default. Speed is measured in bench/, not by test timeouts.
  testTimeout: 30_000,
};

module.exports = {
  // A global option: Jest ignores `testTimeout` inside `projects`, which left hooks at the 5 s default.
  testTimeout: common.testTimeout,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.e2e\\.test\\.ts$', '/node_modules/'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'] },
  ],
};
