import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/** A bad environment stops the app at once: one line naming the variable, exit code 1, nothing left running. */
for (const [variable, value] of [
  ['PORT', 'eighty'],
  ['DATABASE_POOL_SIZE', '0'],
  ['LOG_LEVEL', 'loud'],
] as const) {
  test(`refuses ${variable}=${value} with one line and exit code 1`, () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'workroom-env-'));
    try {
      const result = spawnSync(process.execPath, ['scripts/workroom.js', 'serve'], {
        env: { ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, [variable]: value },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^Invalid environment: ${variable} `));
      expect(result.stdout).not.toContain('running at');
      // The database the boot step had started is stopped again.
      expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

test('refuses to run in production without a long SESSION_SECRET', () => {
  const result = spawnSync(process.execPath, ['scripts/workroom.js', 'serve'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      SESSION_SECRET: 'short',
      APP_URL: 'https://w.example',
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr.trim()).toBe(
    'Invalid environment: SESSION_SECRET must be at least 32 characters in production',
  );
});
