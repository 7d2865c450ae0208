import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests against the real built server (embedded Postgres, real SMTP inbox, real jobs).
 * Every browser spec runs twice: JavaScript on (htmx) and off (plain HTML). Debian's chromium
 * is used where present (`npm test` installs it); elsewhere Playwright's own browser
 * (`npx playwright install chromium`, which needs internet).
 */
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
  },
  projects: [
    { name: 'http', testMatch: /.*\.http\.spec\.ts/ },
    {
      name: 'js-on',
      testMatch: /.*\.browser\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], javaScriptEnabled: true },
    },
    // Live updates need JavaScript in both browsers: one project, JavaScript on.
    {
      name: 'live',
      testMatch: /.*\.live\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], javaScriptEnabled: true },
    },
    {
      name: 'js-off',
      testMatch: /.*\.browser\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], javaScriptEnabled: false },
    },
  ],
  webServer: {
    command: 'node scripts/e2e-server.js',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    // SIGTERM lets the server stop its Postgres cleanly.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    // Under the system's temp folder: reachable by the postgres user even when the clone is in /root.
    env: {
      PORT: String(port),
      APP_URL: baseURL,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(os.tmpdir(), 'workroom-e2e'),
    },
  },
});
