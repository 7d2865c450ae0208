import { recordAudit } from '~/modules/audit/record.server';
import {
  isUniqueViolation,
  withWorkspace,
  type WorkspaceContext,
} from '~/platform/db/database.server';

/** Divisions (EPOP's organisational units) with their member counts. */
export async function listDivisions(ctx: WorkspaceContext) {
  return withWorkspace(ctx, (trx) =>
    trx
      .selectFrom('divisions')
      .leftJoin('divisionMembers', 'divisionMembers.divisionId', 'divisions.id')
      .select([
        'divisions.id',
        'divisions.name',
        'divisions.createdAt',
        (eb) => eb.fn.count<string>('divisionMembers.userId').as('memberCount'),
      ])
      .groupBy('divisions.id')
      .orderBy('divisions.name')
      .execute(),
  );
}

export async function getDivision(ctx: WorkspaceContext, divisionId: string) {
  return withWorkspace(ctx, async (trx) => {
    const division = await trx
      .selectFrom('divisions')
      .select(['id', 'name'])
      .where('id', '=', divisionId)
      .executeTakeFirst();
    if (!division) return null;
    const members = await trx
      .selectFrom('divisionMembers')
      .innerJoin('users', 'users.id', 'divisionMembers.userId')
      .select(['users.id', 'users.name', 'users.email'])
      .where('divisionMembers.divisionId', '=', divisionId)
      .orderBy('users.name')
      .execute();
    return { ...division, members };
  });
}

export async function createDivision(
  ctx: WorkspaceContext,
  name: string,
): Promise<'created' | 'name_taken'> {
  try {
    return await withWorkspace(ctx, async (trx) => {
      const division = await trx
        .insertInto('divisions')
        .values({ workspaceId: ctx.workspaceId, name })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'division.created',
        workspaceId: ctx.workspaceId,
        actorId: ctx.userId,
        target: { type: 'division', id: division.id },
        changes: { name },
      });
      return 'created' as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return 'name_taken';
    throw error;
  }
}

export async function renameDivision(
  ctx: WorkspaceContext,
  divisionId: string,
  name: string,
): Promise<'renamed' | 'name_taken' | 'not_found'> {
  try {
    return await withWorkspace(ctx, async (trx) => {
      const before = await trx
        .selectFrom('divisions')
        .select('name')
        .where('id', '=', divisionId)
        .executeTakeFirst();
      if (!before) return 'not_found' as const;
      await trx.updateTable('divisions').set({ name }).where('id', '=', divisionId).execute();
      await recordAudit(trx, {
        action: 'division.renamed',
        workspaceId: ctx.workspaceId,
        actorId: ctx.userId,
        target: { type: 'division', id: divisionId },
        changes: { from: before.name, to: name },
      });
      return 'renamed' as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return 'name_taken';
    throw error;
  }
}

export async function deleteDivision(ctx: WorkspaceContext, divisionId: string): Promise<boolean> {
  return withWorkspace(ctx, async (trx) => {
    const deleted = await trx
      .deleteFrom('divisions')
      .where('id', '=', divisionId)
      .returning('name')
      .executeTakeFirst();
    if (!deleted) return false;
    await recordAudit(trx, {
      action: 'division.deleted',
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      target: { type: 'division', id: divisionId },
      changes: { name: deleted.name },
    });
    return true;
  });
}

/** Sets a member's divisions to exactly these (a member can be in several). Unknown ids are ignored. */
export async function setMemberDivisions(
  ctx: WorkspaceContext,
  userId: string,
  divisionIds: string[],
): Promise<boolean> {
  return withWorkspace(ctx, async (trx) => {
    const member = await trx
      .selectFrom('memberships')
      .select('userId')
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (!member) return false;
    const valid =
      divisionIds.length > 0
        ? await trx.selectFrom('divisions').select('id').where('id', 'in', divisionIds).execute()
        : [];
    const before = await trx
      .selectFrom('divisionMembers')
      .select('divisionId')
      .where('userId', '=', userId)
      .execute();
    await trx.deleteFrom('divisionMembers').where('userId', '=', userId).execute();
    if (valid.length > 0) {
      await trx
        .insertInto('divisionMembers')
        .values(
          valid.map((division) => ({
            workspaceId: ctx.workspaceId,
            divisionId: division.id,
            userId,
          })),
        )
        .execute();
    }
    const from = before.map((row) => row.divisionId).sort();
    const to = valid.map((row) => row.id).sort();
    if (from.join() !== to.join()) {
      await recordAudit(trx, {
        action: 'division.members_changed',
        workspaceId: ctx.workspaceId,
        actorId: ctx.userId,
        target: { type: 'user', id: userId },
        changes: { from, to },
      });
    }
    return true;
  });
}
