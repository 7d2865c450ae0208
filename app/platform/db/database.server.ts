import { CamelCasePlugin, Kysely, sql } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { getEnv } from '../env.server';
import { isUuid, serviceUnavailable } from '../http-errors.server';
import { singleton } from '../singleton.server';
import type { DB } from './schema';
import { isDatabaseUnavailable } from './unavailable.server';

export type { DB };
/** A connection inside an open transaction, set up for RLS by withWorkspace or withSystem. */
export type Trx = Kysely<DB>;

/** The start of inTransaction's first message (see beginStatement). */
const BEGIN = 'begin;';

/** Every app query runs as this role: no BYPASSRLS, owns no table, so RLS always applies. */
export const APP_ROLE = 'workroom_app';

export type DatabaseUrls = { appUrl: string; ownerUrl: string };

const urls = singleton('database-urls', () => ({ current: undefined as DatabaseUrls | undefined }));

/** Called once at boot with the embedded server's URLs or the configured ones. */
export function configureDatabase(databaseUrls: DatabaseUrls): void {
  urls.current = databaseUrls;
}

export function databaseUrls(): DatabaseUrls {
  if (urls.current) return urls.current;
  const env = getEnv();
  if (!env.DATABASE_URL)
    throw new Error('The database is not configured: start it with startDatabase() first.');
  return { appUrl: env.DATABASE_URL, ownerUrl: env.DATABASE_OWNER_URL ?? env.DATABASE_URL };
}

export function createAppSql(url: string, max: number) {
  return postgres(url, {
    max,
    onnotice: () => {},
    idle_timeout: 60,
    connect_timeout: 5,
    // Whatever login the URL names, queries run as the RLS-bound role.
    // Plans are made once per prepared statement, not per execution: the app's queries are
    // short indexed lookups whose RLS conditions are evaluated at run time anyway.
    connection: {
      role: APP_ROLE,
      application_name: 'workroom',
      plan_cache_mode: 'force_generic_plan',
    },
  });
}

type Pool = { sql: ReturnType<typeof createAppSql>; db: Kysely<DB>; stats: PoolStats };
export type PoolStats = { max: number; inUse: number; waiting: number };

const pool = singleton('app-pool', () => ({ current: undefined as Pool | undefined }));

function appPool(): Pool {
  if (!pool.current) {
    const max = getEnv().DATABASE_POOL_SIZE;
    const sql = createAppSql(databaseUrls().appUrl, max);
    const stats: PoolStats = { max, inUse: 0, waiting: 0 };
    // Counting reservations here is the only view of the pool postgres.js offers (for /metrics).
    const counted = {
      end: () => sql.end(),
      async reserve() {
        stats.waiting++;
        const reserved = await sql.reserve().finally(() => stats.waiting--);
        stats.inUse++;
        // Every query becomes a prepared statement (planned once per connection; kysely-postgres-js
        // would send each unprepared, to be planned again), except the two-statement BEGIN of
        // inTransaction, which the extended protocol cannot carry.
        const unsafe = reserved.unsafe.bind(reserved);
        reserved.unsafe = (query: string, parameters: never[] = [], options?: object) =>
          unsafe(
            query,
            parameters,
            query.startsWith(BEGIN) ? options : { prepare: true, ...options },
          );
        const release = reserved.release.bind(reserved);
        reserved.release = () => {
          stats.inUse--;
          release();
        };
        return reserved;
      },
    };
    const db = new Kysely<DB>({
      // The dialect takes a factory for anything that is not postgres.js itself.
      dialect: new PostgresJSDialect({ postgres: () => counted }),
      plugins: [new CamelCasePlugin()],
    });
    pool.current = { sql, db, stats };
  }
  return pool.current;
}

/** The app's Kysely instance. Prefer withWorkspace / withSystem, which open a transaction. */
export function getDb(): Kysely<DB> {
  return appPool().db;
}

/** Connection counts for /metrics. */
export function poolStats(): PoolStats | undefined {
  return pool.current?.stats;
}

export async function closeDatabase(): Promise<void> {
  const current = pool.current;
  const maintenance = maintenancePool.current;
  pool.current = undefined;
  maintenancePool.current = undefined;
  await Promise.all([current?.db.destroy(), maintenance?.destroy()]);
}

/** A unique index refused the row (two requests racing for one address or name). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

export type WorkspaceContext = { userId: string | null; workspaceId: string };

/**
 * One transaction whose first statement tells the RLS policies who is acting in which
 * workspace. A query that forgets `where workspace_id = …` still sees only this workspace.
 */
export function withWorkspace<T>(
  context: WorkspaceContext,
  fn: (trx: Trx) => Promise<T>,
): Promise<T> {
  return inTransaction(context.userId, context.workspaceId, fn);
}

/**
 * A transaction outside any workspace (sign-in, sessions, the list of my workspaces): tenant
 * tables show no rows here, because their policies compare against an unset workspace.
 */
export function withSystem<T>(userId: string | null, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return inTransaction(userId, null, fn);
}

/**
 * Moves an open transaction into another workspace of the same user, for the rare change that
 * spans workspaces atomically (deleting an account leaves all of them at once).
 */
export async function enterWorkspace(trx: Trx, workspaceId: string | null): Promise<void> {
  await sql`select set_config('app.workspace_id', ${workspaceId ?? ''}, true)`.execute(trx);
}

/**
 * BEGIN and the RLS settings go to Postgres as one message (one round trip instead of two):
 * the ids are checked to be UUIDs, so writing them into the SQL text is safe.
 */
function beginStatement(userId: string | null, workspaceId: string | null): string {
  for (const id of [userId, workspaceId]) {
    if (id !== null && !isUuid(id)) throw new Error(`not a uuid: ${id}`);
  }
  return `${BEGIN} select set_config('app.user_id', '${userId ?? ''}', true), set_config('app.workspace_id', '${workspaceId ?? ''}', true)`;
}

async function inTransaction<T>(
  userId: string | null,
  workspaceId: string | null,
  fn: (trx: Trx) => Promise<T>,
): Promise<T> {
  const begin = beginStatement(userId, workspaceId);
  try {
    return await getDb()
      .connection()
      .execute(async (connection) => {
        try {
          // Inside the try: if the settings fail after BEGIN, the rollback below still runs,
          // and the connection goes back to the pool outside any transaction.
          await sql.raw(begin).execute(connection);
          const result = await fn(connection);
          // A deferred constraint (a workspace keeps an owner) can still fail here.
          await sql`commit`.execute(connection);
          return result;
        } catch (error) {
          await sql`rollback`.execute(connection).catch(() => {});
          throw error;
        }
      });
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable();
    throw error;
  }
}

const maintenancePool = singleton('maintenance-pool', () => ({
  current: undefined as Kysely<DB> | undefined,
}));

/**
 * Cross-workspace housekeeping (purges), as the role `workroom_maintenance`: it sees only the
 * rows its own policies name (deleted workspaces), never a tenant's data. Jobs only.
 */
export async function withMaintenance<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
  maintenancePool.current ??= new Kysely<DB>({
    dialect: new PostgresJSDialect({
      postgres: postgres(databaseUrls().ownerUrl, {
        max: 2,
        onnotice: () => {},
        connection: { role: 'workroom_maintenance', application_name: 'workroom-maintenance' },
      }),
    }),
    plugins: [new CamelCasePlugin()],
  });
  return maintenancePool.current.transaction().execute(fn);
}

/** For /healthz: does Postgres answer right now? */
export async function databaseAnswers(timeoutMs = 2000): Promise<boolean> {
  try {
    const { sql: client } = appPool();
    const query = client`select 1`;
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), timeoutMs).unref(),
    );
    await Promise.race([query, timeout]);
    return true;
  } catch {
    return false;
  }
}
