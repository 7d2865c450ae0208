import { getEnv } from '../env.server';
import { getLogger } from '../logger.server';
import { closeDatabase, configureDatabase, type DatabaseUrls } from './database.server';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.server';
import { migrateDatabase } from './migrate.server';

export type RunningDatabase = { urls: DatabaseUrls; embedded: boolean; stop(): Promise<void> };

/**
 * The configured Postgres (DATABASE_URL), or the embedded one under DATA_DIR. Migrates when
 * asked: always in development and with the embedded server, by the release command in production.
 */
export async function startDatabase(options: {
  migrate: boolean;
  /** The embedded server scripts/workroom.js already started, while the app loaded. */
  booted?: Promise<EmbeddedDatabase>;
}): Promise<RunningDatabase> {
  const env = getEnv();
  const log = getLogger().child({ component: 'database' });
  let urls: DatabaseUrls;
  let stopServer = async () => {};
  if (env.DATABASE_URL) {
    urls = { appUrl: env.DATABASE_URL, ownerUrl: env.DATABASE_OWNER_URL ?? env.DATABASE_URL };
  } else {
    const started = Date.now();
    const embedded = await (options.booted ??
      startEmbeddedPostgres({ dataDir: env.dataDir, log: (line) => log.debug(line) }));
    log.info({ port: embedded.port, ms: Date.now() - started }, 'embedded Postgres started');
    urls = { appUrl: embedded.appUrl, ownerUrl: embedded.ownerUrl };
    stopServer = () => embedded.stop();
  }
  configureDatabase(urls);
  if (options.migrate) {
    const { applied } = await migrateDatabase(urls);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  }
  return {
    urls,
    embedded: !env.DATABASE_URL,
    async stop() {
      await closeDatabase();
      await stopServer();
    },
  };
}
