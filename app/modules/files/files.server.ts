import { recordAudit } from '~/modules/audit/record.server';
import type { Member } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { withWorkspace, type Trx } from '~/platform/db/database.server';
import { enqueueJob } from '~/platform/jobs/jobs.server';
import { imageTypes } from './detect-type.server';
import { findFileOwner, ownerNames, visibleFiles, type FileOwnerKind } from './owners.server';
import type { FileFilters } from './schema';
import { thumbnailJob } from './thumbnails.server';
import { quotaRefusal, storageUsage } from './quota.server';
import type { ReceivedUpload, StagedFile } from './upload.server';

export const FILES_PAGE_SIZE = 25;
/** Days a file stays in the trash before the purge removes its bytes and its row. */
export const TRASH_DAYS = 30;

type Viewer = Pick<Member, 'role' | 'ctx'>;
export type FileOwner = { kind: string; id: string };

export type AttachResult =
  | { ok: true; fileIds: string[] }
  | { ok: false; reason: 'typeNotAccepted'; file: StagedFile }
  | { ok: false; reason: 'quota'; quotaBytes: number; usedBytes: number };

/**
 * Gives staged uploads their rows, attached to an owner, in the caller's transaction (so a
 * message and its attachments commit together). The owner's module decides who may attach and
 * which types it takes; the workspace's quota is checked under a lock on its row, so two
 * uploads at once cannot both squeeze under it. On a refusal nothing is written: the caller
 * discards the staged objects.
 */
export async function attachFiles(
  trx: Trx,
  member: Viewer,
  owner: FileOwner,
  uploads: StagedFile[],
): Promise<AttachResult> {
  const kind = requireOwnerKind(owner.kind);
  if (!(await kind.canAttach(trx, member, owner.id))) throw new Response(null, { status: 403 });
  const refused = kind.accepts && uploads.find((file) => !kind.accepts!.has(file.contentType));
  if (refused) return { ok: false, reason: 'typeNotAccepted', file: refused };
  if (uploads.length === 0) return { ok: true, fileIds: [] };

  const { quotaBytes, usedBytes } = await storageUsage(trx, member.ctx.workspaceId, {
    lock: true,
  });
  const adding = uploads.reduce((sum, file) => sum + file.sizeBytes, 0);
  if (usedBytes + adding > quotaBytes) return { ok: false, reason: 'quota', quotaBytes, usedBytes };

  await trx
    .insertInto('files')
    .values(
      uploads.map((file) => ({
        id: file.id,
        workspaceId: member.ctx.workspaceId,
        ownerKind: owner.kind,
        ownerId: owner.id,
        uploadedBy: member.ctx.userId,
        name: file.name,
        sizeBytes: file.sizeBytes,
        contentType: file.contentType,
        sha256: file.sha256,
        storeKey: file.storeKey,
      })),
    )
    .execute();
  for (const file of uploads) {
    await recordAudit(trx, {
      action: 'file.uploaded',
      workspaceId: member.ctx.workspaceId,
      actorId: member.ctx.userId,
      target: { type: 'file', id: file.id },
      changes: { name: file.name, size: file.sizeBytes, type: file.contentType, owner: owner.kind },
    });
    if (imageTypes.has(file.contentType))
      await enqueueJob(
        trx,
        thumbnailJob,
        { fileId: file.id, workspaceId: member.ctx.workspaceId },
        { jobKey: `thumbnail:${file.id}` },
      );
  }
  return { ok: true, fileIds: uploads.map((file) => file.id) };
}

/** Why an upload form was sent back (422), file by file: "files:problems.<reason>". */
export type UploadFormProblem = {
  name: string;
  reason: 'empty' | 'badName' | 'tooMany' | 'noFile' | 'typeNotAccepted';
};

/**
 * The usual end of an upload form: every received file attached to the owner in one
 * transaction, or nothing kept. Problems with particular files go back to the form; a full
 * workspace is a 413 page. The staged objects are removed on every path that does not commit.
 */
export async function saveUpload(
  member: Viewer,
  owner: FileOwner,
  upload: ReceivedUpload,
): Promise<{ ok: true; fileIds: string[] } | { ok: false; problems: UploadFormProblem[] }> {
  if (upload.problems.length) {
    await upload.discard();
    return { ok: false, problems: upload.problems };
  }
  if (upload.files.length === 0) return { ok: false, problems: [{ name: '', reason: 'noFile' }] };
  let result: AttachResult;
  try {
    result = await withWorkspace(member.ctx, (trx) =>
      attachFiles(trx, member, owner, upload.files),
    );
  } catch (error) {
    await upload.discard();
    throw error;
  }
  if (result.ok) return result;
  await upload.discard();
  if (result.reason === 'quota') throw quotaRefusal(result);
  return { ok: false, problems: [{ name: result.file.name, reason: 'typeNotAccepted' }] };
}

function requireOwnerKind(kind: string): FileOwnerKind {
  const found = findFileOwner(kind);
  if (!found) throw new Error(`no file owner kind "${kind}" is defined`);
  return found;
}

const fileColumns = [
  'files.id',
  'files.name',
  'files.sizeBytes',
  'files.contentType',
  'files.typeGroup',
  'files.ownerKind',
  'files.ownerId',
  'files.uploadedBy',
  'files.thumbnailKey',
  'files.createdAt',
  'files.deletedAt',
  'users.name as uploaderName',
] as const;

/** The files this member may see, filtered, sorted and paginated, for the Files page. */
export async function listFiles(member: Viewer, filters: FileFilters) {
  return withWorkspace(member.ctx, async (trx) => {
    let query = trx
      .selectFrom('files')
      .leftJoin('users', 'users.id', 'files.uploadedBy')
      .where(visibleFiles(member))
      .where('files.deletedAt', filters.trash ? 'is not' : 'is', null);
    if (filters.owner) query = query.where('files.ownerKind', '=', filters.owner);
    if (filters.type) query = query.where('files.typeGroup', '=', filters.type);
    if (filters.uploader) query = query.where('files.uploadedBy', '=', filters.uploader);
    if (filters.q) query = query.where('files.name', 'ilike', `%${escapeLike(filters.q)}%`);
    const { count } = await query
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    const column = { name: 'files.name', size: 'files.sizeBytes', date: 'files.createdAt' }[
      filters.sort
    ] as 'files.name' | 'files.sizeBytes' | 'files.createdAt';
    const rows = await query
      .select(fileColumns)
      .select(ownerNames().as('ownerName'))
      .orderBy(column, filters.direction)
      .orderBy('files.id')
      .limit(FILES_PAGE_SIZE)
      .offset((filters.page - 1) * FILES_PAGE_SIZE)
      .execute();
    return { rows: rows.map(presentRow), total: Number(count) };
  });
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

function presentRow<R extends { sizeBytes: string; thumbnailKey: string | null }>(row: R) {
  const { thumbnailKey, sizeBytes, ...rest } = row;
  return { ...rest, sizeBytes: Number(sizeBytes), hasThumbnail: thumbnailKey !== null };
}

/** The people who uploaded files this member can see, for the uploader filter. */
export async function listUploaders(member: Viewer) {
  return withWorkspace(member.ctx, (trx) =>
    trx
      .selectFrom('users')
      .select(['users.id', 'users.name'])
      .where('users.id', 'in', (eb) =>
        eb
          .selectFrom('files')
          .select('files.uploadedBy')
          .where(visibleFiles(member))
          .where('files.uploadedBy', 'is not', null)
          .$narrowType<{ uploadedBy: string }>(),
      )
      .orderBy('users.name')
      .execute(),
  );
}

/** The largest files of the workspace, for its admins deciding what to clear out. */
export async function largestFiles(member: Viewer, limit = 5) {
  return withWorkspace(member.ctx, async (trx) => {
    const rows = await trx
      .selectFrom('files')
      .leftJoin('users', 'users.id', 'files.uploadedBy')
      .select(fileColumns)
      .select(ownerNames().as('ownerName'))
      .where(visibleFiles(member))
      .orderBy('files.sizeBytes', 'desc')
      .limit(limit)
      .execute();
    return rows.map(presentRow);
  });
}

export async function workspaceStorage(member: Viewer) {
  return withWorkspace(member.ctx, (trx) => storageUsage(trx, member.ctx.workspaceId));
}

/**
 * One file, if this member may see it (RLS for the workspace, then its owner's rules);
 * otherwise undefined, and the caller answers 404 — as for a file that never existed.
 */
export async function findVisibleFile(trx: Trx, member: Viewer, fileId: string) {
  const file = await trx
    .selectFrom('files')
    .leftJoin('users', 'users.id', 'files.uploadedBy')
    .select([...fileColumns, 'files.storeKey', 'files.thumbnailKey', 'files.sha256'])
    .select(ownerNames().as('ownerName'))
    .where('files.id', '=', fileId)
    .executeTakeFirst();
  if (!file) return undefined;
  const owner = findFileOwner(file.ownerKind);
  if (!owner || !(await owner.canSee(trx, member, file.ownerId))) return undefined;
  return { ...file, sizeBytes: Number(file.sizeBytes) };
}

export type VisibleFile = NonNullable<Awaited<ReturnType<typeof findVisibleFile>>>;

/**
 * Who may rename, delete and restore a file: its owner kind's rule if it has one, else whoever
 * uploaded it, and managers and above.
 */
export function canManageFile(
  member: Viewer,
  file: Pick<VisibleFile, 'uploadedBy' | 'ownerKind'>,
): boolean {
  const owner = findFileOwner(file.ownerKind);
  if (owner?.canManage) return owner.canManage(member);
  return file.uploadedBy === member.ctx.userId || roleAtLeast(member.role, 'manager');
}

export async function renameFile(trx: Trx, member: Viewer, file: VisibleFile, name: string) {
  if (file.name === name) return;
  await trx.updateTable('files').set({ name }).where('id', '=', file.id).execute();
  await recordAudit(trx, {
    action: 'file.renamed',
    workspaceId: member.ctx.workspaceId,
    actorId: member.ctx.userId,
    target: { type: 'file', id: file.id },
    changes: { from: file.name, to: name },
  });
}

/** To the trash: hidden from lists, restorable for TRASH_DAYS, then purged with its bytes. */
export async function trashFile(trx: Trx, member: Viewer, file: VisibleFile) {
  const updated = await trx
    .updateTable('files')
    .set({ deletedAt: new Date(), deletedBy: member.ctx.userId })
    .where('id', '=', file.id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  // A logo in the trash is no longer the logo.
  await trx
    .updateTable('workspaces')
    .set({ logoFileId: null })
    .where('logoFileId', '=', file.id)
    .execute();
  await recordAudit(trx, {
    action: 'file.deleted',
    workspaceId: member.ctx.workspaceId,
    actorId: member.ctx.userId,
    target: { type: 'file', id: file.id },
    changes: { name: file.name },
  });
}

export async function restoreFile(trx: Trx, member: Viewer, file: VisibleFile) {
  const updated = await trx
    .updateTable('files')
    .set({ deletedAt: null, deletedBy: null })
    .where('id', '=', file.id)
    .where('deletedAt', 'is not', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  await recordAudit(trx, {
    action: 'file.restored',
    workspaceId: member.ctx.workspaceId,
    actorId: member.ctx.userId,
    target: { type: 'file', id: file.id },
    changes: { name: file.name },
  });
}

/** The files attached to one owner (a project's, a task's), newest first, for its page. */
export async function listOwnerFiles(trx: Trx, owner: FileOwner) {
  const rows = await trx
    .selectFrom('files')
    .leftJoin('users', 'users.id', 'files.uploadedBy')
    .select(fileColumns)
    .select(ownerNames().as('ownerName'))
    .where('files.ownerKind', '=', owner.kind)
    .where('files.ownerId', '=', owner.id)
    .where('files.deletedAt', 'is', null)
    .orderBy('files.createdAt', 'desc')
    .limit(100)
    .execute();
  return rows.map(presentRow);
}

/**
 * The files attached to many owners of one kind at once (a page of chat messages), oldest
 * first: what a message shows under its text.
 */
export async function listAttachments(trx: Trx, kind: string, ownerIds: string[]) {
  if (ownerIds.length === 0) return [];
  return trx
    .selectFrom('files')
    .select([
      'files.id',
      'files.ownerId',
      'files.name',
      'files.sizeBytes',
      'files.contentType',
      'files.thumbnailKey',
    ])
    .where('files.ownerKind', '=', kind)
    .where('files.ownerId', 'in', ownerIds)
    .where('files.deletedAt', 'is', null)
    .orderBy('files.createdAt')
    .execute();
}

export type Attachment = Awaited<ReturnType<typeof listAttachments>>[number];

/** An owner's files go to the trash with it (a deleted message's attachments). */
export async function trashOwnerFiles(trx: Trx, member: Viewer, owner: FileOwner) {
  const trashed = await trx
    .updateTable('files')
    .set({ deletedAt: new Date(), deletedBy: member.ctx.userId })
    .where('ownerKind', '=', owner.kind)
    .where('ownerId', '=', owner.id)
    .where('deletedAt', 'is', null)
    .returning(['id', 'name'])
    .execute();
  for (const file of trashed)
    await recordAudit(trx, {
      action: 'file.deleted',
      workspaceId: member.ctx.workspaceId,
      actorId: member.ctx.userId,
      target: { type: 'file', id: file.id },
      changes: { name: file.name },
    });
}
