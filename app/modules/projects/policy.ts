import type { ProjectRole, WorkspaceRole } from '~/platform/db/schema';
import { roleAtLeast } from '~/modules/workspaces/roles';

/**
 * Who may do what with a project. Members and above see every project of the workspace; a
 * guest only those they were added to. Managers and above manage any project; otherwise the
 * project's lead manages it. `projectRole` is the person's role in this project, if any.
 */
export const projectPolicy = {
  create: (role: WorkspaceRole) => roleAtLeast(role, 'member'),
  see: (role: WorkspaceRole, projectRole: ProjectRole | null) =>
    roleAtLeast(role, 'member') || projectRole !== null,
  manage: (role: WorkspaceRole, projectRole: ProjectRole | null) =>
    roleAtLeast(role, 'manager') || projectRole === 'lead',
  /** Add files (and tasks): the project's lead and members; guests only read and comment. */
  contribute: (role: WorkspaceRole, projectRole: ProjectRole | null) =>
    roleAtLeast(role, 'manager') ||
    (roleAtLeast(role, 'member') && (projectRole === 'lead' || projectRole === 'member')),
  /** A guest joins a project as a viewer, whatever role was asked for. */
  roleFor: (role: WorkspaceRole, asked: ProjectRole): ProjectRole =>
    role === 'guest' ? 'viewer' : asked,
};
