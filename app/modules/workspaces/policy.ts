import type { WorkspaceRole } from '~/platform/db/schema';
import { roleAtLeast } from './roles';

/**
 * What a role may do in the workspace module. The UI asks before showing a control; the server
 * asks again before doing anything, and answers 403 when the answer is no.
 */
export const workspacePolicy = {
  manageMembers: (role: WorkspaceRole) => roleAtLeast(role, 'admin'),
  manageDivisions: (role: WorkspaceRole) => roleAtLeast(role, 'admin'),
  viewAuditLog: (role: WorkspaceRole) => roleAtLeast(role, 'admin'),
  viewJobFailures: (role: WorkspaceRole) => roleAtLeast(role, 'admin'),
  editSettings: (role: WorkspaceRole) => roleAtLeast(role, 'admin'),
  deleteWorkspace: (role: WorkspaceRole) => role === 'owner',
  transferOwnership: (role: WorkspaceRole) => role === 'owner',

  /** Admins manage everyone below owner; only an owner touches an owner or makes one. */
  changeRole(actor: WorkspaceRole, target: WorkspaceRole, next: WorkspaceRole): boolean {
    if (!roleAtLeast(actor, 'admin')) return false;
    if (target === 'owner' || next === 'owner') return actor === 'owner';
    return true;
  },
  /** Deactivate, reactivate or remove a member. */
  changeMembership(actor: WorkspaceRole, target: WorkspaceRole): boolean {
    if (!roleAtLeast(actor, 'admin')) return false;
    return target !== 'owner' || actor === 'owner';
  },
  /** Invitations grant any role but owner. */
  invite: (actor: WorkspaceRole) => roleAtLeast(actor, 'admin'),
};
