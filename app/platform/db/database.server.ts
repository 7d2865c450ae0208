import { CamelCasePlugin, Kysely, sql, type Transaction } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { getEnv } from '../env.server';
import { serviceUnavailable } from '../http-errors.server';
import { singleton } from '../singleton.server';
import type { DB } from './schema';
import { isDatabaseUnavailable } from './unavailable.server';

export type { DB };
export type Trx = Transaction<DB>;

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
    connection: { role: APP_ROLE, application_name: 'workroom' },
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

async function inTransaction<T>(
  userId: string | null,
  workspaceId: string | null,
  fn: (trx: Trx) => Promise<T>,
): Promise<T> {
  try {
    return await getDb()
      .transaction()
      .execute(async (trx) => {
        await sql`select set_config('app.user_id', ${userId ?? ''}, true), set_config('app.workspace_id', ${workspaceId ?? ''}, true)`.execute(
          trx,
        );
        return fn(trx);
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
