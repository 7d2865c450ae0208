import { sql, type SqlBool } from 'kysely';
import { defineFileOwner } from '~/modules/files/owners.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { projectPolicy } from './policy';

/**
 * Files attached to a project: seen by whoever sees the project (members and above, guests
 * added to it), added by its lead and members. A project in the trash hides its files.
 */
export const projectFilesOwner = defineFileOwner({
  kind: 'project',
  visibleTo: (viewer) =>
    roleAtLeast(viewer.role, 'member')
      ? sql<SqlBool>`files.owner_id in (select p.id from projects p where p.deleted_at is null)`
      : sql<SqlBool>`files.owner_id in (select p.id from projects p join project_members pm on pm.project_id = p.id
                                        where p.deleted_at is null and pm.user_id = ${viewer.ctx.userId})`,
  ownerName: sql<string>`(select p.name from projects p where p.id = files.owner_id)`,
  async canSee(trx, viewer, projectId) {
    const project = await projectWithMyRole(trx, viewer.ctx.userId, projectId);
    return Boolean(project && projectPolicy.see(viewer.role, project.myRole));
  },
  async canAttach(trx, viewer, projectId) {
    const project = await projectWithMyRole(trx, viewer.ctx.userId, projectId);
    return Boolean(project && projectPolicy.contribute(viewer.role, project.myRole));
  },
});

async function projectWithMyRole(
  trx: Parameters<typeof projectFilesOwner.canSee>[0],
  userId: string | null,
  projectId: string,
) {
  return trx
    .selectFrom('projects')
    .select([
      'projects.id',
      sql<
        'lead' | 'member' | 'viewer' | null
      >`(select pm.role from project_members pm where pm.project_id = projects.id and pm.user_id = ${userId})`.as(
        'myRole',
      ),
    ])
    .where('projects.id', '=', projectId)
    .where('projects.deletedAt', 'is', null)
    .executeTakeFirst();
}
