import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../app/platform/db/embedded-postgres.server';
import { migrateDatabase } from '../../app/platform/db/migrate.server';

export const TEMPLATE_DATABASE = 'workroom_template';

export type TestDatabaseServer = {
  /** Runs migrations and the job queue: the embedded superuser, or on an outside server a role with CREATEROLE and nothing more. */
  ownerUrl: string;
  /** The app's login (owns nothing, no BYPASSRLS). */
  appUrl: string;
  /** A superuser, for creating databases and for tests that look at every row. */
  adminUrl: string;
  dataDir: string;
};

declare module 'vitest' {
  export interface ProvidedContext {
    database: TestDatabaseServer;
  }
}

const withUser = (url: string, user: string, password: string, database: string) => {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

/**
 * One Postgres for the whole run, and a migrated template every test file's database copies.
 * By default the embedded server; with TEST_DATABASE_URL (a superuser on another server, e.g.
 * Debian's postgresql started by scripts/test.js) the same suite runs there, migrating as an
 * owner that is not a superuser, as on a managed host.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'workroom-test-'));
  let stop = async () => {};
  let server: TestDatabaseServer;
  if (process.env.TEST_DATABASE_URL) {
    const adminUrl = process.env.TEST_DATABASE_URL;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.unsafe(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'workroom_owner') then
        create role workroom_owner login password 'owner-password' nosuperuser createrole createdb nobypassrls;
      end if; end $$`);
    await admin.unsafe(`create database ${TEMPLATE_DATABASE} owner workroom_owner`);
    await admin.end();
    server = {
      adminUrl: withUser(
        adminUrl,
        new URL(adminUrl).username,
        decodeURIComponent(new URL(adminUrl).password),
        TEMPLATE_DATABASE,
      ),
      ownerUrl: withUser(adminUrl, 'workroom_owner', 'owner-password', TEMPLATE_DATABASE),
      appUrl: withUser(adminUrl, 'workroom_web', 'web-password', TEMPLATE_DATABASE),
      dataDir,
    };
  } else {
    const embedded = await startEmbeddedPostgres({
      dataDir,
      database: TEMPLATE_DATABASE,
      durable: false,
    });
    server = {
      adminUrl: embedded.ownerUrl,
      ownerUrl: embedded.ownerUrl,
      appUrl: embedded.appUrl,
      dataDir,
    };
    stop = () => embedded.stop();
  }
  await migrateDatabase({ ownerUrl: server.ownerUrl, appUrl: server.appUrl });
  project.provide('database', server);
  return async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
