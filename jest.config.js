/** Unit tests sit beside the code (*.spec.ts); end-to-end suites under test/ run against a real
 * Kafka broker and PostgreSQL cluster that test/global-setup.ts starts once per run. */
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@odoo-stream/(.*)$': '<rootDir>/libs/$1' },
  // Local Kafka and PostgreSQL data (PostgreSQL writes .snap files of its own) and builds.
  modulePathIgnorePatterns: ['<rootDir>/.data/', '<rootDir>/.cache/', '<rootDir>/dist/'],
};

module.exports = {
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  maxWorkers: 2,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      slowTestThreshold: 60,
      setupFilesAfterEnv: ['<rootDir>/test/e2e-timeout.ts'],
    },
  ],
};
