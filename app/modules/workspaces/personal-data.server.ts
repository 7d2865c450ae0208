import { registerPersonalData } from '~/modules/accounts/personal-data.server';
import { enterWorkspace, withSystem } from '~/platform/db/database.server';

/**
 * My part of each workspace: the membership, my divisions, and what the audit log recorded of
 * my actions there (with the IP and browser it kept).
 */
registerPersonalData({
  name: 'workspaces',
  collect: (userId) =>
    withSystem(userId, async (trx) => {
      const memberships = await trx
        .selectFrom('memberships')
        .innerJoin('workspaces', 'workspaces.id', 'memberships.workspaceId')
        .select([
          'workspaces.id',
          'workspaces.name',
          'workspaces.slug',
          'memberships.role',
          'memberships.status',
          'memberships.createdAt as joinedAt',
        ])
        .where('memberships.userId', '=', userId)
        .execute();
      const workspaces = [];
      for (const { id, ...membership } of memberships) {
        await enterWorkspace(trx, id);
        const divisions = await trx
          .selectFrom('divisionMembers')
          .innerJoin('divisions', 'divisions.id', 'divisionMembers.divisionId')
          .select('divisions.name')
          .where('divisionMembers.userId', '=', userId)
          .execute();
        const activity = await trx
          .selectFrom('auditEvents')
          .select(['action', 'targetType', 'targetId', 'ip', 'userAgent', 'changes', 'createdAt'])
          .where('actorId', '=', userId)
          .where('workspaceId', '=', id)
          .orderBy('createdAt', 'desc')
          .execute();
        workspaces.push({
          ...membership,
          divisions: divisions.map((division) => division.name),
          activity,
        });
      }
      await enterWorkspace(trx, null);
      return workspaces;
    }),
});
