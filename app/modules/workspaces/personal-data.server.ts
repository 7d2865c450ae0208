import { registerPersonalData } from '~/modules/accounts/personal-data.server';
import { withSystem } from '~/platform/db/database.server';

registerPersonalData({
  name: 'workspaces',
  collect: (userId) =>
    withSystem(userId, (trx) =>
      trx
        .selectFrom('memberships')
        .innerJoin('workspaces', 'workspaces.id', 'memberships.workspaceId')
        .select([
          'workspaces.name',
          'workspaces.slug',
          'memberships.role',
          'memberships.status',
          'memberships.createdAt as joinedAt',
        ])
        .where('memberships.userId', '=', userId)
        .execute(),
    ),
});
