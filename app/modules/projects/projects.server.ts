import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '~/modules/audit/record.server';
import { createDefaultStatuses } from '~/modules/tasks/statuses.server';
import type { Member } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import {
  isUniqueViolation,
  withMaintenance,
  withWorkspace,
  type Trx,
} from '~/platform/db/database.server';
import type { ProjectRole } from '~/platform/db/schema';
import { notFound } from '~/platform/http-errors.server';
import { defineCron, defineJob } from '~/platform/jobs/jobs.server';
import { getLogger } from '~/platform/logger.server';
import { projectPolicy } from './policy';
import type { ProjectInput } from './schema';

export const PROJECT_TRASH_DAYS = 30;

type Viewer = Pick<Member, 'role' | 'ctx'>;

/** My role in each project, as a column: null where I am not a member. */
const myRole = (viewer: Viewer) =>
  sql<ProjectRole | null>`(select pm.role from project_members pm where pm.project_id = projects.id and pm.user_id = ${viewer.ctx.userId})`;

/** Members and above see every project; a guest only the projects they were added to. */
const visibleProjects = (viewer: Viewer) =>
  roleAtLeast(viewer.role, 'member')
    ? sql<SqlBool>`true`
    : sql<SqlBool>`exists (select 1 from project_members pm where pm.project_id = projects.id and pm.user_id = ${viewer.ctx.userId})`;

export async function listProjects(
  viewer: Viewer,
  filters: { status?: string; q?: string; trash?: boolean },
) {
  return withWorkspace(viewer.ctx, async (trx) => {
    let query = trx
      .selectFrom('projects')
      .leftJoin('users as lead', 'lead.id', 'projects.leadId')
      .select([
        'projects.id',
        'projects.key',
        'projects.name',
        'projects.status',
        'projects.targetDate',
        'projects.deletedAt',
        'lead.name as leadName',
        sql<number>`(select count(*)::int from project_members pm where pm.project_id = projects.id)`.as(
          'memberCount',
        ),
        myRole(viewer).as('myRole'),
      ])
      .where(visibleProjects(viewer))
      .where('projects.deletedAt', filters.trash ? 'is not' : 'is', null);
    if (filters.status) query = query.where('projects.status', '=', filters.status as never);
    // Archived projects leave the default list, as in Basecamp; the status filter finds them.
    else if (!filters.trash) query = query.where('projects.status', '!=', 'archived');
    if (filters.q)
      query = query.where(
        'projects.name',
        'ilike',
        `%${filters.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`,
      );
    return query.orderBy('projects.name').execute();
  });
}

/** A project by its key, if this member may see it (else undefined: the caller's 404). */
export async function findProject(trx: Trx, viewer: Viewer, key: string) {
  const project = await trx
    .selectFrom('projects')
    .leftJoin('users as lead', 'lead.id', 'projects.leadId')
    .leftJoin('divisions', 'divisions.id', 'projects.divisionId')
    .selectAll('projects')
    .select([
      'lead.name as leadName',
      'divisions.name as divisionName',
      myRole(viewer).as('myRole'),
    ])
    .where('projects.key', '=', key.toUpperCase())
    .executeTakeFirst();
  if (!project || !projectPolicy.see(viewer.role, project.myRole)) return undefined;
  return project;
}

export type Project = NonNullable<Awaited<ReturnType<typeof findProject>>>;

/** The project behind a URL's key, or 404 for one that does not exist or is not for this member. */
export async function requireProject(viewer: Viewer, key: string | undefined): Promise<Project> {
  const project = await withWorkspace(viewer.ctx, (trx) => findProject(trx, viewer, key ?? ''));
  if (!project) throw notFound();
  return project;
}

/** Is this person an active member of the workspace (a lead or project member must be)? */
async function isActiveMember(trx: Trx, userId: string) {
  const row = await trx
    .selectFrom('memberships')
    .select('role')
    .where('userId', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row ?? null;
}

export type ProjectRefusal = 'key_taken' | 'lead_not_member' | 'division_unknown';

async function checkReferences(trx: Trx, input: ProjectInput): Promise<ProjectRefusal | null> {
  if (input.leadId) {
    const lead = await isActiveMember(trx, input.leadId);
    if (!lead || lead.role === 'guest') return 'lead_not_member';
  }
  if (input.divisionId) {
    const division = await trx
      .selectFrom('divisions')
      .select('id')
      .where('id', '=', input.divisionId)
      .executeTakeFirst();
    if (!division) return 'division_unknown';
  }
  return null;
}

/** Makes sure the lead is in the project as its lead (and nobody else is). */
async function installLead(trx: Trx, viewer: Viewer, projectId: string, leadId: string | null) {
  await trx
    .updateTable('projectMembers')
    .set({ role: 'member' })
    .where('projectId', '=', projectId)
    .where('role', '=', 'lead')
    .$if(leadId !== null, (query) => query.where('userId', '!=', leadId!))
    .execute();
  if (!leadId) return;
  await trx
    .insertInto('projectMembers')
    .values({
      workspaceId: viewer.ctx.workspaceId,
      projectId,
      userId: leadId,
      role: 'lead',
      addedBy: viewer.ctx.userId,
    })
    .onConflict((oc) => oc.columns(['projectId', 'userId']).doUpdateSet({ role: 'lead' }))
    .execute();
}

export async function createProject(
  viewer: Viewer,
  input: ProjectInput & { key: string },
): Promise<{ ok: true; key: string } | { ok: false; reason: ProjectRefusal }> {
  try {
    return await withWorkspace(viewer.ctx, async (trx) => {
      const refused = await checkReferences(trx, input);
      if (refused) return { ok: false, reason: refused };
      const leadId = input.leadId ?? viewer.ctx.userId;
      const project = await trx
        .insertInto('projects')
        .values({
          workspaceId: viewer.ctx.workspaceId,
          key: input.key,
          name: input.name,
          description: input.description,
          status: input.status,
          leadId,
          divisionId: input.divisionId ?? null,
          startDate: input.startDate ?? null,
          targetDate: input.targetDate ?? null,
          createdBy: viewer.ctx.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await installLead(trx, viewer, project.id, leadId);
      await createDefaultStatuses(trx, viewer.ctx.workspaceId, project.id);
      // Whoever creates a project works in it, even when someone else leads it.
      if (viewer.ctx.userId && viewer.ctx.userId !== leadId)
        await trx
          .insertInto('projectMembers')
          .values({
            workspaceId: viewer.ctx.workspaceId,
            projectId: project.id,
            userId: viewer.ctx.userId,
            role: 'member',
            addedBy: viewer.ctx.userId,
          })
          .execute();
      await recordAudit(trx, {
        action: 'project.created',
        workspaceId: viewer.ctx.workspaceId,
        actorId: viewer.ctx.userId,
        target: { type: 'project', id: project.id },
        changes: { key: input.key, name: input.name },
      });
      return { ok: true, key: input.key };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'key_taken' };
    throw error;
  }
}

export async function updateProject(
  trx: Trx,
  viewer: Viewer,
  project: Project,
  input: ProjectInput,
): Promise<ProjectRefusal | null> {
  const refused = await checkReferences(trx, input);
  if (refused) return refused;
  const next = {
    name: input.name,
    description: input.description,
    status: input.status,
    leadId: input.leadId ?? null,
    divisionId: input.divisionId ?? null,
    startDate: input.startDate ?? null,
    targetDate: input.targetDate ?? null,
  };
  const before: Record<string, unknown> = {
    name: project.name,
    description: project.description,
    status: project.status,
    leadId: project.leadId,
    divisionId: project.divisionId,
    startDate: project.startDate ? isoDate(project.startDate) : null,
    targetDate: project.targetDate ? isoDate(project.targetDate) : null,
  };
  const changes = Object.fromEntries(
    Object.entries(next)
      .filter(([field, value]) => before[field] !== value)
      .map(([field, value]) =>
        // A long description is summarised in the log, not copied into it.
        field === 'description' ? [field, 'changed'] : [field, { from: before[field], to: value }],
      ),
  );
  if (Object.keys(changes).length === 0) return null;
  await trx.updateTable('projects').set(next).where('id', '=', project.id).execute();
  if ('leadId' in changes) await installLead(trx, viewer, project.id, next.leadId);
  await recordAudit(trx, {
    action: 'project.updated',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'project', id: project.id },
    changes,
  });
  return null;
}

/** Postgres `date` columns arrive as Dates at midnight UTC: back to the day they name. */
export const isoDate = (value: Date | string) =>
  typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

export async function trashProject(trx: Trx, viewer: Viewer, project: Project) {
  const updated = await trx
    .updateTable('projects')
    .set({ deletedAt: new Date(), deletedBy: viewer.ctx.userId })
    .where('id', '=', project.id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  await recordAudit(trx, {
    action: 'project.deleted',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'project', id: project.id },
    changes: { name: project.name },
  });
}

export async function restoreProject(trx: Trx, viewer: Viewer, project: Project) {
  const updated = await trx
    .updateTable('projects')
    .set({ deletedAt: null, deletedBy: null })
    .where('id', '=', project.id)
    .where('deletedAt', 'is not', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  await recordAudit(trx, {
    action: 'project.restored',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'project', id: project.id },
    changes: { name: project.name },
  });
}

export async function listProjectMembers(trx: Trx, projectId: string) {
  return trx
    .selectFrom('projectMembers')
    .innerJoin('users', 'users.id', 'projectMembers.userId')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.userId', '=', 'projectMembers.userId')
        .onRef('memberships.workspaceId', '=', 'projectMembers.workspaceId'),
    )
    .select([
      'users.id',
      'users.name',
      'users.email',
      'projectMembers.role',
      'memberships.role as workspaceRole',
    ])
    .where('projectMembers.projectId', '=', projectId)
    .orderBy(sql`project_members.role = 'lead'`, 'desc')
    .orderBy('users.name')
    .execute();
}

/** Active workspace members not yet in the project, for the "add someone" list. */
export async function listAddableMembers(trx: Trx, projectId: string) {
  return trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.userId')
    .select(['users.id', 'users.name', 'users.email', 'memberships.role'])
    .where('memberships.status', '=', 'active')
    .where('users.deletedAt', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('projectMembers')
            .select('projectMembers.userId')
            .whereRef('projectMembers.userId', '=', 'memberships.userId')
            .where('projectMembers.projectId', '=', projectId),
        ),
      ),
    )
    .orderBy('users.name')
    .execute();
}

export async function addProjectMember(
  trx: Trx,
  viewer: Viewer,
  project: Project,
  input: { userId: string; role: ProjectRole },
): Promise<'added' | 'not_a_member' | 'already_in'> {
  const membership = await isActiveMember(trx, input.userId);
  if (!membership) return 'not_a_member';
  const role = projectPolicy.roleFor(membership.role, input.role);
  if (role === 'lead') {
    await trx
      .updateTable('projects')
      .set({ leadId: input.userId })
      .where('id', '=', project.id)
      .execute();
    await installLead(trx, viewer, project.id, input.userId);
  } else {
    const inserted = await trx
      .insertInto('projectMembers')
      .values({
        workspaceId: viewer.ctx.workspaceId,
        projectId: project.id,
        userId: input.userId,
        role,
        addedBy: viewer.ctx.userId,
      })
      .onConflict((oc) => oc.columns(['projectId', 'userId']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return 'already_in';
  }
  await recordAudit(trx, {
    action: 'project.member_added',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'project', id: project.id },
    changes: { userId: input.userId, role },
  });
  return 'added';
}

export async function removeProjectMember(
  trx: Trx,
  viewer: Viewer,
  project: Project,
  userId: string,
): Promise<void> {
  const removed = await trx
    .deleteFrom('projectMembers')
    .where('projectId', '=', project.id)
    .where('userId', '=', userId)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) return;
  if (project.leadId === userId)
    await trx.updateTable('projects').set({ leadId: null }).where('id', '=', project.id).execute();
  await recordAudit(trx, {
    action: 'project.member_removed',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'project', id: project.id },
    changes: { userId },
  });
}

/**
 * The nightly purge: projects 30 days in the trash go for good. Their files are sent to the
 * files purge (marked as long deleted, so tonight's run removes the bytes), the rows that hang
 * on the project cascade, and the log records it.
 */
export const purgeProjectsJob = defineJob({
  name: 'projects.purge',
  payload: z.object({}).passthrough(),
  async run() {
    const expired = await withMaintenance((trx) =>
      trx
        .selectFrom('projects')
        .select(['id', 'workspaceId'])
        .where('deletedAt', '<', sql<Date>`now() - make_interval(days => ${PROJECT_TRASH_DAYS})`)
        .execute(),
    );
    for (const { id, workspaceId } of expired) {
      await withWorkspace({ userId: null, workspaceId }, async (trx) => {
        const gone = await trx
          .deleteFrom('projects')
          .where('id', '=', id)
          .where('deletedAt', 'is not', null)
          .returning('name')
          .executeTakeFirst();
        if (!gone) return;
        await trx
          .updateTable('files')
          .set({ deletedAt: sql<Date>`now() - make_interval(days => ${PROJECT_TRASH_DAYS + 1})` })
          .where('ownerKind', '=', 'project')
          .where('ownerId', '=', id)
          .execute();
        await recordAudit(trx, {
          action: 'project.purged',
          workspaceId,
          actorId: null,
          target: { type: 'project', id },
          changes: { name: gone.name },
        });
      });
      getLogger().info({ projectId: id, workspaceId }, 'purged a deleted project');
    }
  },
});
defineCron({
  job: purgeProjectsJob.name,
  pattern: '27 3 * * *',
  identifier: 'nightly-projects-purge',
});

/** Open projects this member may add files to, for "upload into" lists. */
export async function projectsToContributeTo(viewer: Viewer) {
  const rows = await withWorkspace(viewer.ctx, (trx) =>
    trx
      .selectFrom('projects')
      .select(['projects.id', 'projects.name', myRole(viewer).as('myRole')])
      .where('projects.deletedAt', 'is', null)
      .where('projects.status', '!=', 'archived')
      .orderBy('projects.name')
      .execute(),
  );
  return rows
    .filter((row) => projectPolicy.contribute(viewer.role, row.myRole))
    .map(({ id, name }) => ({ id, name }));
}

/** Who can lead or join projects (active members above guest), and the divisions, for forms. */
export async function projectFormChoices(viewer: Viewer) {
  return withWorkspace(viewer.ctx, async (trx) => ({
    people: await trx
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.userId')
      .select(['users.id', 'users.name'])
      .where('memberships.status', '=', 'active')
      .where('memberships.role', '!=', 'guest')
      .where('users.deletedAt', 'is', null)
      .orderBy('users.name')
      .execute(),
    divisions: await trx.selectFrom('divisions').select(['id', 'name']).orderBy('name').execute(),
  }));
}
