import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../app/platform/db/embedded-postgres.server';
import { migrateDatabase } from '../../app/platform/db/migrate.server';

export const TEMPLATE_DATABASE = 'workroom_template';

declare module 'vitest' {
  export interface ProvidedContext {
    database: { ownerUrl: string; appUrl: string; dataDir: string };
  }
}

/** One Postgres for the whole run, and a migrated template every test file's database copies. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'workroom-test-'));
  const server = await startEmbeddedPostgres({
    dataDir,
    database: TEMPLATE_DATABASE,
    durable: false,
  });
  await migrateDatabase({ ownerUrl: server.ownerUrl, appUrl: server.appUrl });
  project.provide('database', { ownerUrl: server.ownerUrl, appUrl: server.appUrl, dataDir });
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
