import { sql, type SqlBool } from 'kysely';
import { recordAudit } from '~/modules/audit/record.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import type { Member } from '~/modules/workspaces/queries.server';
import { withWorkspace, type Trx } from '~/platform/db/database.server';
import { imageTypes } from './detect-type.server';
import { attachFiles, type UploadFormProblem } from './files.server';
import { quotaRefusal } from './quota.server';
import { defineFileOwner } from './owners.server';
import type { ReceivedUpload } from './upload.server';

/**
 * The workspace's logo, shown beside its navigation to everyone in it (guests included). Only
 * an image will do — the type its bytes show, not its name — and only admins change it.
 */
export const logoOwner = defineFileOwner({
  kind: 'workspace_logo',
  // As files (in lists, the trash, downloads) logos are the admins' business; everyone sees
  // the current one through /w/:slug/logo.
  visibleTo: (viewer) =>
    workspacePolicy.editSettings(viewer.role) ? sql<SqlBool>`true` : sql<SqlBool>`false`,
  canSee: async (_trx, viewer) => workspacePolicy.editSettings(viewer.role),
  canAttach: async (_trx, viewer) => workspacePolicy.editSettings(viewer.role),
  canManage: (viewer) => workspacePolicy.editSettings(viewer.role),
  accepts: imageTypes,
});

type Viewer = Pick<Member, 'role' | 'ctx'>;

/**
 * The uploaded image becomes the logo; the one before goes to the trash (restorable like any
 * file). One transaction: the workspace never points at a logo that is not there.
 */
export async function replaceLogo(
  member: Viewer,
  upload: ReceivedUpload,
): Promise<{ ok: true } | { ok: false; problems: UploadFormProblem[] }> {
  const [file] = upload.files;
  if (upload.problems.length || upload.files.length !== 1) {
    await upload.discard();
    return {
      ok: false,
      problems: upload.problems.length ? upload.problems : [{ name: '', reason: 'noFile' }],
    };
  }
  try {
    const result = await withWorkspace(member.ctx, async (trx) => {
      const attached = await attachFiles(
        trx,
        member,
        { kind: logoOwner.kind, id: member.ctx.workspaceId },
        [file!],
      );
      if (!attached.ok) return attached;
      const previous = await trx
        .selectFrom('workspaces')
        .select('logoFileId')
        .where('id', '=', member.ctx.workspaceId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('workspaces')
        .set({ logoFileId: file!.id })
        .where('id', '=', member.ctx.workspaceId)
        .execute();
      if (previous.logoFileId) await trashLogo(trx, member, previous.logoFileId);
      await recordAudit(trx, {
        action: 'workspace.logo_changed',
        workspaceId: member.ctx.workspaceId,
        actorId: member.ctx.userId,
        target: { type: 'file', id: file!.id },
        changes: { name: file!.name },
      });
      return attached;
    });
    if (result.ok) return { ok: true };
    await upload.discard();
    if (result.reason === 'quota') throw quotaRefusal(result);
    return { ok: false, problems: [{ name: result.file.name, reason: 'typeNotAccepted' }] };
  } catch (error) {
    await upload.discard();
    throw error;
  }
}

export async function removeLogo(member: Viewer): Promise<void> {
  await withWorkspace(member.ctx, async (trx) => {
    // Locked, as replaceLogo's update locks it: the two cannot interleave.
    const { logoFileId } = await trx
      .selectFrom('workspaces')
      .select('logoFileId')
      .where('id', '=', member.ctx.workspaceId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!logoFileId) return;
    await trx
      .updateTable('workspaces')
      .set({ logoFileId: null })
      .where('id', '=', member.ctx.workspaceId)
      .execute();
    await trashLogo(trx, member, logoFileId);
    await recordAudit(trx, {
      action: 'workspace.logo_removed',
      workspaceId: member.ctx.workspaceId,
      actorId: member.ctx.userId,
      target: { type: 'file', id: logoFileId },
    });
  });
}

async function trashLogo(trx: Trx, member: Viewer, fileId: string) {
  const trashed = await trx
    .updateTable('files')
    .set({ deletedAt: new Date(), deletedBy: member.ctx.userId })
    .where('id', '=', fileId)
    .where('deletedAt', 'is', null)
    .returning('name')
    .executeTakeFirst();
  if (!trashed) return;
  await recordAudit(trx, {
    action: 'file.deleted',
    workspaceId: member.ctx.workspaceId,
    actorId: member.ctx.userId,
    target: { type: 'file', id: fileId },
    changes: { name: trashed.name },
  });
}

/** The logo file to show, if the workspace has one. */
export async function currentLogo(member: Viewer) {
  return withWorkspace(member.ctx, (trx) =>
    trx
      .selectFrom('workspaces')
      .innerJoin('files', 'files.id', 'workspaces.logoFileId')
      .select([
        'files.id',
        'files.name',
        'files.storeKey',
        'files.thumbnailKey',
        'files.contentType',
        'files.sizeBytes',
        'files.sha256',
      ])
      .where('workspaces.id', '=', member.ctx.workspaceId)
      .where('files.deletedAt', 'is', null)
      .executeTakeFirst(),
  );
}
