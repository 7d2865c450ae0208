import { Kysely, Migrator, sql } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { migrations } from '#db/migrations/index';
import { jobQueueLogger } from '../jobs/logger.server';
import { APP_ROLE, type DatabaseUrls } from './database.server';

export type MigrationReport = { applied: string[] };

/**
 * Brings a database up to date, as its owner: the job queue's schema first (our migrations
 * define functions over it), then ours, then the app's login. Kysely's Migrator takes an
 * advisory lock, so several containers starting at once migrate once.
 */
export async function migrateDatabase(urls: DatabaseUrls): Promise<MigrationReport> {
  const { runMigrations: runJobQueueMigrations } = await import('graphile-worker');
  await runJobQueueMigrations({ connectionString: urls.ownerUrl, logger: await jobQueueLogger() });
  const owner = postgres(urls.ownerUrl, { max: 1, onnotice: () => {} });
  const db = new Kysely<unknown>({ dialect: new PostgresJSDialect({ postgres: owner }) });
  try {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error) {
      const failed = results.find((result) => result.status === 'Error');
      throw new Error(
        `Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    await ensureAppLogin(db, urls.appUrl);
    await revokeSupabaseApiGrants(db);
    return {
      applied: results
        .filter((result) => result.status === 'Success')
        .map((result) => result.migrationName),
    };
  } finally {
    await db.destroy();
  }
}

/**
 * The login in DATABASE_URL must be able to become the app role. When it is another login than
 * the owner's and does not exist yet, create it with the URL's password (this needs CREATEROLE;
 * docs/operations.md gives the SQL for hosts where the owner lacks it).
 */
async function ensureAppLogin(db: Kysely<unknown>, appUrl: string): Promise<void> {
  const url = new URL(appUrl);
  const login = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const { rows } = await sql<{ owner: string; exists: boolean; member: boolean | null }>`
    select current_user as owner,
           exists (select 1 from pg_roles where rolname = ${login}) as exists,
           (select pg_has_role(${login}, ${APP_ROLE}, 'member') where exists (select 1 from pg_roles where rolname = ${login})) as member
  `.execute(db);
  const state = rows[0]!;
  if (!login || login === state.owner) return;
  try {
    if (!state.exists) {
      const { rows: statements } = await sql<{ statement: string }>`
        select format('create role %I login password %L', ${login}::text, ${password}::text) as statement
      `.execute(db);
      await sql.raw(statements[0]!.statement).execute(db);
    }
    if (!state.member)
      await sql.raw(`grant ${APP_ROLE} to "${login.replaceAll('"', '""')}"`).execute(db);
  } catch (error) {
    throw new Error(
      `The database login "${login}" (DATABASE_URL) cannot be prepared by "${state.owner}": ${error instanceof Error ? error.message : String(error)}. ` +
        `Create it yourself: create role "${login}" login password '…'; grant ${APP_ROLE} to "${login}";`,
      { cause: error },
    );
  }
}

/**
 * Supabase's Data API reads `public` as the roles `anon` and `authenticated`, and its default
 * privileges grant them every new table there, including tables without RLS (users, sessions).
 * Workroom never uses that API: take the grants back on every migrate, wherever those roles exist.
 */
export async function revokeSupabaseApiGrants(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare api_role text;
    begin
      foreach api_role in array array['anon', 'authenticated'] loop
        if exists (select 1 from pg_roles where rolname = api_role) then
          execute format('revoke all on all tables in schema public from %I', api_role);
          execute format('revoke all on all sequences in schema public from %I', api_role);
          execute format('revoke all on all functions in schema public from %I', api_role);
        end if;
      end loop;
    end $$;
  `.execute(db);
}
