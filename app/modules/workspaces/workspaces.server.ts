import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '~/modules/audit/record.server';
import { removeWorkspaceObjects } from '~/modules/files/housekeeping.server';
import {
  isUniqueViolation,
  withMaintenance,
  withSystem,
  withWorkspace,
  type WorkspaceContext,
} from '~/platform/db/database.server';
import { defineCron, defineJob } from '~/platform/jobs/jobs.server';
import { getLogger } from '~/platform/logger.server';

export const PURGE_AFTER_DAYS = 30;

/**
 * A new workspace with its creator as owner. The transaction runs "inside" the new workspace's
 * id from its first statement, so RLS admits both rows.
 */
export async function createWorkspace(
  userId: string,
  input: { name: string; slug: string },
): Promise<{ ok: true; slug: string } | { ok: false; reason: 'slug_taken' }> {
  const id = randomUUID();
  try {
    await withWorkspace({ userId, workspaceId: id }, async (trx) => {
      await trx
        .insertInto('workspaces')
        .values({ id, name: input.name, slug: input.slug })
        .execute();
      await trx
        .insertInto('memberships')
        .values({ workspaceId: id, userId, role: 'owner' })
        .execute();
      await recordAudit(trx, {
        action: 'workspace.created',
        workspaceId: id,
        actorId: userId,
        target: { type: 'workspace', id },
        changes: input,
      });
    });
    return { ok: true, slug: input.slug };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'slug_taken' };
    throw error;
  }
}

export async function getWorkspaceSettings(ctx: WorkspaceContext) {
  return withWorkspace(ctx, (trx) =>
    trx
      .selectFrom('workspaces')
      .select(['name', 'slug', 'brandColor', 'createdAt', 'deletedAt'])
      .where('id', '=', ctx.workspaceId)
      .executeTakeFirstOrThrow(),
  );
}

export async function updateWorkspaceSettings(
  ctx: WorkspaceContext,
  input: { name: string; brandColor: string | null },
): Promise<void> {
  await withWorkspace(ctx, async (trx) => {
    const before = await trx
      .selectFrom('workspaces')
      .select(['name', 'brandColor'])
      .where('id', '=', ctx.workspaceId)
      .executeTakeFirstOrThrow();
    await trx.updateTable('workspaces').set(input).where('id', '=', ctx.workspaceId).execute();
    if (before.name !== input.name) {
      await recordAudit(trx, {
        action: 'workspace.renamed',
        workspaceId: ctx.workspaceId,
        actorId: ctx.userId,
        changes: { from: before.name, to: input.name },
      });
    }
    if (before.brandColor !== input.brandColor) {
      await recordAudit(trx, {
        action: 'workspace.settings_updated',
        workspaceId: ctx.workspaceId,
        actorId: ctx.userId,
        changes: { brandColor: { from: before.brandColor, to: input.brandColor } },
      });
    }
  });
}

/** Soft delete: hidden from everyone at once, restorable by an owner for 30 days, then purged. */
export async function deleteWorkspace(ctx: WorkspaceContext): Promise<void> {
  await withWorkspace(ctx, async (trx) => {
    const deleted = await trx
      .updateTable('workspaces')
      .set({ deletedAt: new Date() })
      .where('id', '=', ctx.workspaceId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    if (Number(deleted.numUpdatedRows) === 0) return;
    await recordAudit(trx, {
      action: 'workspace.deleted',
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
    });
  });
}

export async function restoreWorkspace(ctx: WorkspaceContext): Promise<void> {
  await withWorkspace(ctx, async (trx) => {
    const restored = await trx
      .updateTable('workspaces')
      .set({ deletedAt: null })
      .where('id', '=', ctx.workspaceId)
      .where('deletedAt', 'is not', null)
      .executeTakeFirst();
    if (Number(restored.numUpdatedRows) === 0) return;
    await recordAudit(trx, {
      action: 'workspace.restored',
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
    });
  });
}

/**
 * The nightly purge: workspaces deleted more than 30 days ago go for good (their rows cascade,
 * their stored files follow), sign-ups never verified within 7 days are removed, and expired
 * sessions and spent links are cleared. Idempotent: a second run finds nothing.
 */
export const purgeJob = defineJob({
  name: 'workspaces.purge',
  payload: z.object({}).passthrough(),
  async run() {
    const purged = await withMaintenance(async (trx) => {
      const purged = await trx
        .deleteFrom('workspaces')
        .where('deletedAt', '<', sql<Date>`now() - make_interval(days => ${PURGE_AFTER_DAYS})`)
        .returning('id')
        .execute();
      for (const { id } of purged)
        getLogger().info({ workspaceId: id }, 'purged a deleted workspace');
      await trx
        .deleteFrom('users')
        .where('emailVerifiedAt', 'is', null)
        .where('deletedAt', 'is', null)
        .where('createdAt', '<', sql<Date>`now() - interval '7 days'`)
        .execute();
      return purged;
    });
    // Their files' rows went with them; the bytes go once that has committed.
    for (const { id } of purged) await removeWorkspaceObjects(id);
    // Expired sessions and spent links: no use to anyone, and less to leak.
    await withSystem(null, async (trx) => {
      await trx.deleteFrom('sessions').where('expiresAt', '<', new Date()).execute();
      await trx
        .deleteFrom('userTokens')
        .where((eb) => eb.or([eb('expiresAt', '<', new Date()), eb('usedAt', 'is not', null)]))
        .execute();
    });
  },
});
defineCron({ job: purgeJob.name, pattern: '17 3 * * *', identifier: 'nightly-purge' });
