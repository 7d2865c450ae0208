import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { closeDatabase, configureDatabase } from '../../app/platform/db/database.server';
import { TEMPLATE_DATABASE } from './global-setup';

/**
 * Before each test file: a database of its own, cloned from the migrated template
 * (CREATE DATABASE … TEMPLATE takes milliseconds), so files never see each other's rows.
 */
const server = inject('database');
const name = `test_${randomBytes(6).toString('hex')}`;
const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};
const ownerName = decodeURIComponent(new URL(server.ownerUrl).username);

process.env.DATA_DIR = server.dataDir;
export const testDatabase = {
  ownerUrl: withDatabase(server.ownerUrl, name),
  appUrl: withDatabase(server.appUrl, name),
  adminUrl: withDatabase(server.adminUrl, name),
};

const admin = () =>
  postgres(withDatabase(server.adminUrl, 'postgres'), { max: 1, onnotice: () => {} });

beforeAll(async () => {
  const sql = admin();
  await sql.unsafe(
    `create database "${name}" template "${TEMPLATE_DATABASE}" owner "${ownerName}" strategy file_copy`,
  );
  await sql.end();
  configureDatabase(testDatabase);
});

afterAll(async () => {
  await closeDatabase();
  const sql = admin();
  await sql.unsafe(`drop database if exists "${name}" with (force)`);
  await sql.end();
});
