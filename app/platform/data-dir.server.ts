import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * DATA_DIR, else ./.data, unless that is where the embedded Postgres could not reach: as root
 * the server runs as the user "postgres", who cannot enter a folder such as /root (mode 700).
 * A clone in /root then keeps its data in /var/lib/workroom/<folder name> (the start says so).
 * No dependencies: the boot step uses it before the rest of the app has loaded.
 */
export function resolveDataDir(configured: string | undefined): string {
  if (configured?.trim()) return path.resolve(configured);
  const local = path.resolve('.data');
  if (process.getuid?.() !== 0 || enterableByOthers(path.dirname(local))) return local;
  return path.join('/var/lib/workroom', path.basename(process.cwd()));
}

function enterableByOthers(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}
