// Jest runs in ESM mode (NODE_OPTIONS=--experimental-vm-modules): NestJS 12 is ESM-only.
// e2e tests do not import the app: `npm test` (test/support/run-tests.ts) starts the built
// processes against real services and passes their address in BANSO_TEST_API_URL.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
};

export default {
  testTimeout: 60000,
  // `npm run test:cov`. Only code loaded in Jest's process is measured: the unit and service tests.
  // The e2e tests drive separate API and worker processes, whose code is not instrumented.
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.spec.ts', '!src/**/*.d.ts'],
  coverageProvider: 'v8',
  coverageReporters: ['text-summary', 'html', 'lcov'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
    // Domain services in-process against the real services `npm test` starts (no HTTP).
    {
      ...common,
      displayName: 'service',
      testMatch: ['<rootDir>/test/services/**/*.service-spec.ts'],
    },
    // Real Chromium (Debian's package) driven by playwright-core: `npm run test:browser`.
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
    },
  ],
};
