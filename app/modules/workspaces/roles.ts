import type { WorkspaceRole } from '~/platform/db/schema';

/** The one ladder for every tool (DESIGN.md): each role may do all that the roles below it may. */
export const roles: readonly WorkspaceRole[] = ['owner', 'admin', 'manager', 'member', 'guest'];

const rank: Record<WorkspaceRole, number> = { owner: 5, admin: 4, manager: 3, member: 2, guest: 1 };

export function roleAtLeast(role: WorkspaceRole, minimum: WorkspaceRole): boolean {
  return rank[role] >= rank[minimum];
}
