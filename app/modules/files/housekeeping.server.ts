import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '~/modules/audit/record.server';
import { withMaintenance, withWorkspace } from '~/platform/db/database.server';
import { defineCron, defineJob } from '~/platform/jobs/jobs.server';
import { getLogger } from '~/platform/logger.server';
import { getFileStore } from '~/platform/storage/store.server';
import { TRASH_DAYS } from './files.server';

/**
 * The nightly purge of the trash: files deleted more than 30 days ago lose their rows (with an
 * audit event), then their bytes. Run twice, it finds nothing the second time.
 */
export const purgeTrashJob = defineJob({
  name: 'files.purge',
  payload: z.object({}).passthrough(),
  async run() {
    const workspaces = await withMaintenance((trx) =>
      trx
        .selectFrom('files')
        .select('workspaceId')
        .distinct()
        .where('deletedAt', '<', sql<Date>`now() - make_interval(days => ${TRASH_DAYS})`)
        .execute(),
    );
    for (const { workspaceId } of workspaces) await purgeWorkspaceTrash(workspaceId);
  },
});
defineCron({ job: purgeTrashJob.name, pattern: '37 3 * * *', identifier: 'nightly-files-purge' });

async function purgeWorkspaceTrash(workspaceId: string): Promise<void> {
  // Rows first, bytes after the commit: a failure in between leaves objects without rows (the
  // nightly check reports them), never rows that a restore would bring back without bytes.
  const purged = await withWorkspace({ userId: null, workspaceId }, async (trx) => {
    const expired = await trx
      .deleteFrom('files')
      .where('deletedAt', '<', sql<Date>`now() - make_interval(days => ${TRASH_DAYS})`)
      .returning(['id', 'name', 'storeKey', 'thumbnailKey'])
      .execute();
    for (const file of expired) {
      await recordAudit(trx, {
        action: 'file.purged',
        workspaceId,
        actorId: null,
        target: { type: 'file', id: file.id },
        changes: { name: file.name },
      });
    }
    return expired;
  });
  if (purged.length === 0) return;
  await getFileStore().delete(
    purged.flatMap((file) => [file.storeKey, ...(file.thumbnailKey ? [file.thumbnailKey] : [])]),
  );
}

/**
 * A purged workspace's rows went with it (cascade); its objects go here, after that commit.
 * Whatever cannot be removed now shows up in the nightly check.
 */
export async function removeWorkspaceObjects(workspaceId: string): Promise<void> {
  const store = getFileStore();
  const keys: string[] = [];
  for await (const key of store.list(workspaceId)) keys.push(key);
  if (keys.length) await store.delete(keys);
}

export type StoreCheckReport = { missingObjects: string[]; objectsWithoutRow: string[] };

/**
 * The nightly check that rows and store agree: rows whose object is missing (a download would
 * fail) and objects no row points to (space paid for nothing: an upload cut off between store
 * and commit, a workspace purge that could not finish). It reports; an operator decides.
 */
export const storeCheckJob = defineJob({
  name: 'files.check-store',
  payload: z.object({}).passthrough(),
  async run() {
    await checkStore();
  },
});
defineCron({ job: storeCheckJob.name, pattern: '7 4 * * *', identifier: 'nightly-files-check' });

export async function checkStore(): Promise<StoreCheckReport> {
  const rows = await withMaintenance((trx) =>
    trx.selectFrom('files').select(['storeKey', 'thumbnailKey']).execute(),
  );
  const expected = new Set(rows.flatMap((row) => [row.storeKey, row.thumbnailKey ?? []].flat()));
  const objects = new Set<string>();
  for await (const key of getFileStore().list('')) objects.add(key);
  const report = {
    missingObjects: rows.map((row) => row.storeKey).filter((key) => !objects.has(key)),
    objectsWithoutRow: [...objects].filter((key) => !expected.has(key)),
  };
  const log = getLogger();
  const summary = {
    rows: rows.length,
    objects: objects.size,
    missingObjects: report.missingObjects.length,
    objectsWithoutRow: report.objectsWithoutRow.length,
    // Enough to act on without flooding the log.
    examples: {
      missingObjects: report.missingObjects.slice(0, 50),
      objectsWithoutRow: report.objectsWithoutRow.slice(0, 50),
    },
  };
  if (report.missingObjects.length || report.objectsWithoutRow.length)
    log.error(summary, 'file store check: rows and objects disagree');
  else log.info(summary, 'file store check: rows and objects agree');
  return report;
}
