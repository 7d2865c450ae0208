import { resolveDataDir } from '../data-dir.server';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.server';

/**
 * Built on its own (build/boot.js, a few kilobytes): scripts/workroom.js starts the embedded
 * Postgres with it *while* the app's bundle loads, so the two overlap instead of adding up.
 * Does nothing when DATABASE_URL names a database.
 */
export function bootEmbeddedPostgres(
  env: Record<string, string | undefined>,
): Promise<EmbeddedDatabase> | undefined {
  if (env.DATABASE_URL?.trim()) return undefined;
  return startEmbeddedPostgres({ dataDir: resolveDataDir(env.DATA_DIR) });
}
