import { sql, type Expression, type SqlBool } from 'kysely';
import type { Trx } from '~/platform/db/database.server';
import type { Member } from './queries.server';

/**
 * What a guest may see: only resources they were added to. Modules grant access when they add
 * a guest (to a project, a conversation) and filter their lists with `visibleToMember`.
 * Everyone above guest sees every resource of the workspace (RLS still bounds the workspace).
 */
export async function grantAccess(
  trx: Trx,
  member: Pick<Member, 'ctx'>,
  grant: { resourceType: string; resourceId: string; userId: string },
): Promise<void> {
  await trx
    .insertInto('resourceGrants')
    .values({ workspaceId: member.ctx.workspaceId, ...grant, grantedBy: member.ctx.userId })
    .onConflict((oc) =>
      oc.columns(['workspaceId', 'resourceType', 'resourceId', 'userId']).doNothing(),
    )
    .execute();
}

export async function revokeAccess(
  trx: Trx,
  grant: { resourceType: string; resourceId: string; userId: string },
): Promise<void> {
  await trx
    .deleteFrom('resourceGrants')
    .where('resourceType', '=', grant.resourceType)
    .where('resourceId', '=', grant.resourceId)
    .where('userId', '=', grant.userId)
    .execute();
}

/**
 * A where-clause for a module's list query: for a guest, `idColumn` must be among the
 * resources granted to them; for anyone else, no restriction.
 *   trx.selectFrom('projects').where(visibleToMember(member, 'project', sql.ref('projects.id')))
 */
export function visibleToMember(
  member: Pick<Member, 'role' | 'ctx'>,
  resourceType: string,
  idColumn: Expression<unknown>,
): Expression<SqlBool> {
  if (member.role !== 'guest') return sql<SqlBool>`true`;
  return sql<SqlBool>`${idColumn}::text in (select resource_id from resource_grants where resource_type = ${resourceType} and user_id = ${member.ctx.userId})`;
}

/** For a single resource: may this member see it? */
export async function canSee(
  trx: Trx,
  member: Pick<Member, 'role' | 'ctx'>,
  resourceType: string,
  resourceId: string,
): Promise<boolean> {
  if (member.role !== 'guest') return true;
  const grant = await trx
    .selectFrom('resourceGrants')
    .select('resourceId')
    .where('resourceType', '=', resourceType)
    .where('resourceId', '=', resourceId)
    .where('userId', '=', member.ctx.userId ?? '')
    .executeTakeFirst();
  return Boolean(grant);
}
