import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../tests/support/database-per-file';
import { ownerSql } from '../../../tests/support/factories';
import { revokeSupabaseApiGrants } from './migrate.server';

const admin = ownerSql();
afterAll(() => admin.end());

describe('migrating on Supabase', () => {
  it('takes back the grants its Data API roles get on our tables', async () => {
    await admin.unsafe(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'anon') then create role anon nologin; end if;
      end $$`);
    await admin.unsafe(
      'grant select, insert on users, sessions to anon; grant execute on function enqueue_job(text, jsonb, timestamptz, text, int, text) to anon',
    );
    const db = new Kysely<unknown>({
      dialect: new PostgresJSDialect({
        postgres: postgres(testDatabase.adminUrl, { max: 1, onnotice: () => {} }),
      }),
    });
    await revokeSupabaseApiGrants(db);
    await db.destroy();
    const [row] = await admin`select has_table_privilege('anon', 'users', 'select') as users,
      has_table_privilege('anon', 'sessions', 'insert') as sessions,
      has_function_privilege('anon', 'enqueue_job(text, jsonb, timestamptz, text, int, text)', 'execute') as enqueue`;
    expect(row).toEqual({ users: false, sessions: false, enqueue: false });
  });
});
