// Three projects: pure-logic unit specs next to the code, integration specs against the
// real Kafka and Redis, and the system test that runs every service as a process.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const moduleNameMapper = {
  '^@baton/([a-z-]+)/testing$': '<rootDir>/libs/$1/src/testing.ts',
  '^@baton/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
};
const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname };

module.exports = {
  // Per-project testTimeout is ignored by Jest 30; integration specs need more than 5 s.
  testTimeout: 60000,
  globalSetup: '<rootDir>/tests/support/global-setup.js',
  globalTeardown: '<rootDir>/tests/support/global-teardown.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...common, displayName: 'system', testMatch: ['<rootDir>/tests/system/**/*.e2e-spec.ts'] },
  ],
};
