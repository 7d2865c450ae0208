import { sql } from 'kysely';
import { recordAudit } from '~/modules/audit/record.server';
import {
  enterWorkspace,
  withWorkspace,
  type Trx,
  type WorkspaceContext,
} from '~/platform/db/database.server';
import type { MembershipStatus, WorkspaceRole } from '~/platform/db/schema';

export const MEMBERS_PAGE_SIZE = 50;

export type MemberFilters = { q?: string; role?: string; status?: string; division?: string };

/** The members page: search by name or email, filter by role, status and division, paginated. */
export async function listMembers(ctx: WorkspaceContext, filters: MemberFilters, page: number) {
  return withWorkspace(ctx, async (trx) => {
    let query = trx
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.userId')
      .where('memberships.workspaceId', '=', ctx.workspaceId);
    if (filters.q) {
      const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or([eb('users.name', 'ilike', pattern), eb('users.email', 'ilike', pattern)]),
      );
    }
    if (filters.role) query = query.where('memberships.role', '=', filters.role as WorkspaceRole);
    if (filters.status)
      query = query.where('memberships.status', '=', filters.status as MembershipStatus);
    if (filters.division) {
      const division = filters.division;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('divisionMembers')
            .whereRef('divisionMembers.userId', '=', 'memberships.userId')
            .where('divisionMembers.divisionId', '=', division),
        ),
      );
    }
    const [{ total }] = (await query
      .select((eb) => eb.fn.countAll<string>().as('total'))
      .execute()) as [{ total: string }];
    const rows = await query
      .select([
        'users.id',
        'users.name',
        'users.email',
        'memberships.role',
        'memberships.status',
        'memberships.createdAt as joinedAt',
        sql<
          string[]
        >`coalesce((select array_agg(d.name order by d.name) from division_members dm join divisions d on d.id = dm.division_id where dm.user_id = users.id), '{}')`.as(
          'divisions',
        ),
      ])
      .orderBy(sql`lower(users.name)`)
      .orderBy('users.id')
      .limit(MEMBERS_PAGE_SIZE)
      .offset((page - 1) * MEMBERS_PAGE_SIZE)
      .execute();
    return {
      rows,
      total: Number(total),
      pageCount: Math.max(1, Math.ceil(Number(total) / MEMBERS_PAGE_SIZE)),
    };
  });
}

export async function getMember(ctx: WorkspaceContext, userId: string) {
  return withWorkspace(ctx, async (trx) => {
    const member = await trx
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.userId')
      .select([
        'users.id',
        'users.name',
        'users.email',
        'memberships.role',
        'memberships.status',
        'memberships.createdAt as joinedAt',
      ])
      .where('memberships.userId', '=', userId)
      .executeTakeFirst();
    if (!member) return null;
    const divisionIds = await trx
      .selectFrom('divisionMembers')
      .select('divisionId')
      .where('userId', '=', userId)
      .execute();
    return { ...member, divisionIds: divisionIds.map((row) => row.divisionId) };
  });
}

export type MembershipChangeResult = 'done' | 'not_found' | 'last_owner';

const isLastOwnerError = (error: unknown) =>
  (error as { code?: string; message?: string } | null)?.message?.includes(
    'at least one active owner',
  ) ?? false;

/** Runs a membership change; a change that would leave no active owner is refused by the database too. */
async function changeMembership(
  ctx: WorkspaceContext,
  fn: Parameters<typeof withWorkspace<MembershipChangeResult>>[1],
): Promise<MembershipChangeResult> {
  try {
    return await withWorkspace(ctx, fn);
  } catch (error) {
    if (isLastOwnerError(error)) return 'last_owner';
    throw error;
  }
}

export function changeMemberRole(
  ctx: WorkspaceContext,
  userId: string,
  role: WorkspaceRole,
): Promise<MembershipChangeResult> {
  return changeMembership(ctx, async (trx) => {
    const before = await trx
      .selectFrom('memberships')
      .select('role')
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (!before) return 'not_found';
    if (before.role === role) return 'done';
    await trx.updateTable('memberships').set({ role }).where('userId', '=', userId).execute();
    await recordAudit(trx, {
      action: 'member.role_changed',
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      target: { type: 'user', id: userId },
      changes: { role: { from: before.role, to: role } },
    });
    return 'done';
  });
}

/** Deactivated members keep their history but cannot enter the workspace; their sessions stay for other workspaces. */
export function setMemberStatus(
  ctx: WorkspaceContext,
  userId: string,
  status: MembershipStatus,
): Promise<MembershipChangeResult> {
  return changeMembership(ctx, async (trx) => {
    const updated = await trx
      .updateTable('memberships')
      .set({ status })
      .where('userId', '=', userId)
      .where('status', '<>', status)
      .returning('userId')
      .executeTakeFirst();
    const exists =
      updated ??
      (await trx
        .selectFrom('memberships')
        .select('userId')
        .where('userId', '=', userId)
        .executeTakeFirst());
    if (!exists) return 'not_found';
    if (updated) {
      await recordAudit(trx, {
        action: status === 'active' ? 'member.reactivated' : 'member.deactivated',
        workspaceId: ctx.workspaceId,
        actorId: ctx.userId,
        target: { type: 'user', id: userId },
      });
    }
    return 'done';
  });
}

export function removeMember(
  ctx: WorkspaceContext,
  userId: string,
): Promise<MembershipChangeResult> {
  return changeMembership(ctx, async (trx) => {
    const removed = await trx
      .deleteFrom('memberships')
      .where('userId', '=', userId)
      .returning(['role'])
      .executeTakeFirst();
    if (!removed) return 'not_found';
    await trx.deleteFrom('divisionMembers').where('userId', '=', userId).execute();
    await trx.deleteFrom('resourceGrants').where('userId', '=', userId).execute();
    await recordAudit(trx, {
      action: 'member.removed',
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      target: { type: 'user', id: userId },
      changes: { role: removed.role },
    });
    return 'done';
  });
}

/** The target becomes an owner and the current owner an admin, in one transaction. */
export function transferOwnership(
  ctx: WorkspaceContext,
  toUserId: string,
): Promise<MembershipChangeResult> {
  return changeMembership(ctx, async (trx) => {
    if (!ctx.userId || toUserId === ctx.userId) return 'not_found';
    // Still an owner now, not only when the request began (locked until the change commits).
    const actor = await trx
      .selectFrom('memberships')
      .select('role')
      .where('userId', '=', ctx.userId)
      .where('status', '=', 'active')
      .forUpdate()
      .executeTakeFirst();
    if (actor?.role !== 'owner') return 'not_found';
    const target = await trx
      .updateTable('memberships')
      .set({ role: 'owner' })
      .where('userId', '=', toUserId)
      .where('status', '=', 'active')
      .returning('userId')
      .executeTakeFirst();
    if (!target) return 'not_found';
    await trx
      .updateTable('memberships')
      .set({ role: 'admin' })
      .where('userId', '=', ctx.userId)
      .execute();
    await recordAudit(trx, {
      action: 'member.ownership_transferred',
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      target: { type: 'user', id: toUserId },
    });
    return 'done';
  });
}

/** Active members per role, in the transaction's workspace. */
export async function countMembersIn(trx: Trx): Promise<Partial<Record<WorkspaceRole, number>>> {
  const rows = await trx
    .selectFrom('memberships')
    .select(['role', (eb) => eb.fn.countAll<string>().as('count')])
    .where('status', '=', 'active')
    .groupBy('role')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.role, Number(row.count)]));
}

/** Workspaces where this person is the only active owner: they must hand over before leaving. */
export async function soleOwnerWorkspaces(
  trx: Trx,
  userId: string,
): Promise<Array<{ name: string; slug: string }>> {
  const owned = await trx
    .selectFrom('memberships')
    .innerJoin('workspaces', 'workspaces.id', 'memberships.workspaceId')
    .select(['workspaces.id', 'workspaces.name', 'workspaces.slug'])
    .where('memberships.userId', '=', userId)
    .where('memberships.role', '=', 'owner')
    .where('memberships.status', '=', 'active')
    .execute();
  const sole: Array<{ name: string; slug: string }> = [];
  for (const workspace of owned) {
    await enterWorkspace(trx, workspace.id);
    const owners = await trx
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('role', '=', 'owner')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    if (Number(owners.count) <= 1) sole.push({ name: workspace.name, slug: workspace.slug });
  }
  await enterWorkspace(trx, null);
  return sole;
}

/** Leaves every workspace (memberships, divisions, guest grants), each removal in its workspace's log. */
export async function leaveAllWorkspaces(trx: Trx, userId: string): Promise<void> {
  const memberships = await trx
    .selectFrom('memberships')
    .select(['workspaceId', 'role'])
    .where('userId', '=', userId)
    .execute();
  for (const membership of memberships) {
    await enterWorkspace(trx, membership.workspaceId);
    await trx.deleteFrom('divisionMembers').where('userId', '=', userId).execute();
    await trx.deleteFrom('resourceGrants').where('userId', '=', userId).execute();
    await trx.deleteFrom('memberships').where('userId', '=', userId).execute();
    await recordAudit(trx, {
      action: 'member.removed',
      workspaceId: membership.workspaceId,
      actorId: userId,
      target: { type: 'user', id: userId },
      changes: { role: membership.role, reason: 'account_deleted' },
    });
  }
  await enterWorkspace(trx, null);
}
