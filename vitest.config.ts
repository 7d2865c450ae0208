import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Unit and integration tests. One embedded Postgres per run (global setup migrates a template
 * database); each test file gets its own database cloned from the template in milliseconds.
 */
export default defineConfig({
  resolve: {
    alias: { '~': path.resolve('app'), '#db': path.resolve('db') },
  },
  test: {
    include: ['app/**/*.test.{ts,tsx}', 'db/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/database-per-file.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent' },
  },
});
