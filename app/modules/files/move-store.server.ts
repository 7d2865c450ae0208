import { withMaintenance } from '~/platform/db/database.server';
import type { Env } from '~/platform/env.server';
import { copyObjects } from '~/platform/storage/copy-files.server';
import { storeFromEnv } from '~/platform/storage/store.server';

/**
 * `npm run files:migrate -- --to=supabase` (or `--to=local`): copies every file and thumbnail
 * the database knows from one store to the other, verifying each copy's SHA-256, so an install
 * can switch stores. Repeatable: what is already in place is skipped. The switch itself is the
 * three Supabase variables (set, or removed), made after a run that reports no failures.
 */
export async function moveFilesBetweenStores(
  env: Env,
  argv: string[],
  log: (line: string) => void,
): Promise<{ ok: boolean }> {
  const to = argv.find((arg) => arg.startsWith('--to='))?.slice('--to='.length);
  if (to !== 'supabase' && to !== 'local') {
    log('Say where to: --to=supabase (from DATA_DIR/files) or --to=local (from Supabase).');
    return { ok: false };
  }
  const supabase = storeFromEnv(env, 'configured');
  if (supabase.name !== 'supabase') {
    log('Set SUPABASE_URL, SUPABASE_SERVICE_KEY and STORAGE_BUCKET first: one side is Supabase.');
    return { ok: false };
  }
  const local = storeFromEnv(env, 'local');
  const [from, target] = to === 'supabase' ? [local, supabase] : [supabase, local];
  log(`Copying files from the ${from.name} store to the ${target.name} store…`);
  const result = await copyObjects(from, target, storedObjects(), log);
  log(
    `Done: ${result.copied} copied, ${result.skipped} already there, ${result.failed.length} failed.`,
  );
  if (result.failed.length) log('Run it again once the cause is fixed; copied files are skipped.');
  return { ok: result.failed.length === 0 };
}

/** Every object rows point to, a page at a time (keys, types and checksums only). */
async function* storedObjects() {
  let after = '';
  for (;;) {
    const rows = await withMaintenance((trx) =>
      trx
        .selectFrom('files')
        .select(['storeKey', 'thumbnailKey', 'sha256', 'contentType'])
        .where('storeKey', '>', after)
        .orderBy('storeKey')
        .limit(500)
        .execute(),
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      yield { key: row.storeKey, sha256: row.sha256, contentType: row.contentType };
      if (row.thumbnailKey)
        yield { key: row.thumbnailKey, sha256: null, contentType: 'image/webp' };
    }
    after = rows.at(-1)!.storeKey;
  }
}
