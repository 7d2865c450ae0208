import { sql } from 'kysely';
import type { Trx } from '~/platform/db/database.server';
import { getEnv } from '~/platform/env.server';
import { refusal } from '~/platform/http-errors.server';

/** The limit in megabytes (a message formats the number for its language). */
export const megabytes = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/**
 * Bytes the workspace stores (the trash included: its bytes are still kept) against its quota:
 * the workspace's own, else the installation's default. With `lock`, the workspace row is
 * locked so that two uploads at once cannot both squeeze under the quota.
 */
export async function storageUsage(
  trx: Trx,
  workspaceId: string,
  options: { lock?: boolean } = {},
) {
  let workspace = trx
    .selectFrom('workspaces')
    .select('storageQuotaBytes')
    .where('id', '=', workspaceId);
  if (options.lock) workspace = workspace.forUpdate();
  const { storageQuotaBytes } = await workspace.executeTakeFirstOrThrow();
  const { used } = await trx
    .selectFrom('files')
    .select(sql<string>`coalesce(sum(size_bytes), 0)`.as('used'))
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return {
    quotaBytes:
      storageQuotaBytes === null ? getEnv().WORKSPACE_QUOTA_BYTES : Number(storageQuotaBytes),
    usedBytes: Number(used),
  };
}

/** The 413 page of a full workspace: how much room it has, and how to make more. */
export function quotaRefusal(usage: { quotaBytes: number; usedBytes: number }): Response {
  return refusal(413, 'files:errors.quota', {
    quota: megabytes(usage.quotaBytes),
    free: megabytes(Math.max(0, usage.quotaBytes - usage.usedBytes)),
  });
}
