import { describe, expect, it } from 'vitest';
import type { WorkspaceRole } from '~/platform/db/schema';
import { workspacePolicy as may } from './policy';
import { roles } from './roles';

describe('the role ladder', () => {
  it('lets admins and owners manage members, and only owners delete or hand over the workspace', () => {
    const table = Object.fromEntries(
      roles.map((role) => [
        role,
        [
          may.manageMembers(role),
          may.viewAuditLog(role),
          may.deleteWorkspace(role),
          may.transferOwnership(role),
        ],
      ]),
    );
    expect(table).toEqual({
      owner: [true, true, true, true],
      admin: [true, true, false, false],
      manager: [false, false, false, false],
      member: [false, false, false, false],
      guest: [false, false, false, false],
    });
  });

  it('lets an admin change roles below owner, and only an owner touch or make an owner', () => {
    const change = (actor: WorkspaceRole, target: WorkspaceRole, next: WorkspaceRole) =>
      may.changeRole(actor, target, next);
    expect(change('admin', 'member', 'manager')).toBe(true);
    expect(change('admin', 'admin', 'member')).toBe(true);
    expect(change('admin', 'member', 'owner')).toBe(false);
    expect(change('admin', 'owner', 'admin')).toBe(false);
    expect(change('owner', 'admin', 'owner')).toBe(true);
    expect(change('owner', 'owner', 'admin')).toBe(true);
    expect(change('manager', 'member', 'guest')).toBe(false);
    expect(may.changeMembership('admin', 'owner')).toBe(false);
    expect(may.changeMembership('owner', 'owner')).toBe(true);
    expect(may.changeMembership('member', 'guest')).toBe(false);
  });
});
