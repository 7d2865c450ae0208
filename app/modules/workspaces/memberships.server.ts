import type { Trx } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';

export type MyMembership = {
  id: string;
  slug: string;
  name: string;
  brandColor: string | null;
  logoFileId: string | null;
  deletedAt: Date | null;
  role: WorkspaceRole;
};

/**
 * Every workspace a person is an active member of, deleted ones included, from a transaction
 * outside any workspace whose acting user is that person (RLS shows them their own rows).
 */
export function myMembershipsIn(trx: Trx, userId: string): Promise<MyMembership[]> {
  return trx
    .selectFrom('workspaces')
    .innerJoin('memberships', 'memberships.workspaceId', 'workspaces.id')
    .select([
      'workspaces.id',
      'workspaces.slug',
      'workspaces.name',
      'workspaces.brandColor',
      'workspaces.logoFileId',
      'workspaces.deletedAt',
      'memberships.role',
    ])
    .where('memberships.userId', '=', userId)
    .where('memberships.status', '=', 'active')
    .orderBy('workspaces.name')
    .execute();
}
