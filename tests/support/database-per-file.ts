import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { closeDatabase, configureDatabase } from '../../app/platform/db/database.server';
import { TEMPLATE_DATABASE } from './global-setup';

/**
 * Before each test file: a database of its own, cloned from the migrated template
 * (CREATE DATABASE … TEMPLATE takes milliseconds), so files never see each other's rows.
 */
const { ownerUrl, appUrl, dataDir } = inject('database');
const name = `test_${randomBytes(6).toString('hex')}`;
const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

process.env.DATA_DIR = dataDir;
export const testDatabase = {
  ownerUrl: withDatabase(ownerUrl, name),
  appUrl: withDatabase(appUrl, name),
};

beforeAll(async () => {
  const admin = postgres(withDatabase(ownerUrl, 'postgres'), { max: 1, onnotice: () => {} });
  await admin.unsafe(
    `create database "${name}" template "${TEMPLATE_DATABASE}" strategy file_copy`,
  );
  await admin.end();
  configureDatabase(testDatabase);
});

afterAll(async () => {
  await closeDatabase();
  const admin = postgres(withDatabase(ownerUrl, 'postgres'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});
