import { sql } from 'kysely';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../tests/support/database-per-file';
import {
  addMember,
  browserRequest,
  createTestWorkspace,
  createUser,
  loadContext,
  ownerSql,
  signedInCookie,
} from '../../../tests/support/factories';
import { inboxForThisFile, linkIn } from '../../../tests/support/jobs';
import { withWorkspace } from '~/platform/db/database.server';
import {
  createDivision,
  listDivisions,
  renameDivision,
  setMemberDivisions,
} from './divisions.server';
import {
  acceptInvitation,
  joinWithNewAccount,
  inviteMember,
  resendInvitation,
  revokeInvitation,
  viewInvitation,
} from './invitations.server';
import {
  changeMemberRole,
  listMembers,
  removeMember,
  setMemberStatus,
  transferOwnership,
} from './members.server';
import { requireMember } from './queries.server';
import { grantAccess, visibleToMember } from './visibility.server';
import { createWorkspace, deleteWorkspace, purgeJob } from './workspaces.server';
import { createWorkspaceSchema } from './schema';

const inbox = inboxForThisFile();
const owner = ownerSql();
afterAll(() => owner.end());

async function invitationLink(email: string) {
  const [mail] = await inbox.mailTo(email);
  return linkIn(mail!.text, '/invitations/').split('/').pop()!;
}

async function thrownStatus(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
}

describe('creating a workspace', () => {
  it('makes the creator its owner, and refuses a web address in use', async () => {
    const user = await createUser();
    expect(await createWorkspace(user.id, { name: 'Umbrella', slug: 'umbrella' })).toEqual({
      ok: true,
      slug: 'umbrella',
    });
    expect(await createWorkspace(user.id, { name: 'Umbrella again', slug: 'umbrella' })).toEqual({
      ok: false,
      reason: 'slug_taken',
    });
    const member = await requireMember(
      browserRequest('/w/umbrella', await signedInCookie(user)),
      loadContext(),
      { slug: 'umbrella' },
    );
    expect(member.role).toBe('owner');
  });

  it('suggests a web address from the name when none is given', () => {
    expect(createWorkspaceSchema.parse({ name: 'Café Ñandú, S.L.' })).toEqual({
      name: 'Café Ñandú, S.L.',
      slug: 'cafe-nandu-s-l',
    });
    expect(
      createWorkspaceSchema.safeParse({ name: 'X', slug: 'Not OK!' }).error?.issues[0]?.message,
    ).toBe('workspaces:validation.slugInvalid');
  });
});

describe('who may enter a workspace', () => {
  it('is its active members; an outsider gets 404, a role below the page’s minimum 403', async () => {
    const workspace = await createTestWorkspace();
    const guest = await addMember(workspace, 'guest');
    const outsider = await createUser();
    const enter = async (
      user: { id: string; email: string; name: string },
      minimumRole?: 'admin',
    ) =>
      thrownStatus(
        requireMember(
          browserRequest(`/w/${workspace.slug}`, await signedInCookie(user)),
          loadContext(),
          { slug: workspace.slug },
          { minimumRole },
        ),
      );
    expect(await enter(guest)).toBe(200);
    expect(await enter(guest, 'admin')).toBe(403);
    expect(await enter(outsider)).toBe(404);
    await setMemberStatus(
      { userId: workspace.owner.id, workspaceId: workspace.id },
      guest.id,
      'deactivated',
    );
    expect(await enter(guest)).toBe(404);
  });

  it('sends a signed-out visitor to sign in, and back afterwards', async () => {
    const workspace = await createTestWorkspace();
    try {
      await requireMember(browserRequest(`/w/${workspace.slug}/admin/members?q=a`), loadContext(), {
        slug: workspace.slug,
      });
      throw new Error('expected a redirect');
    } catch (error) {
      expect((error as Response).status).toBe(303);
      expect((error as Response).headers.get('Location')).toBe(
        `/login?redirectTo=${encodeURIComponent(`/w/${workspace.slug}/admin/members?q=a`)}`,
      );
    }
  });

  it('hides a deleted workspace from everyone but its owners, who may restore it', async () => {
    const workspace = await createTestWorkspace();
    const admin = await addMember(workspace, 'admin');
    await deleteWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id });
    const enter = async (user: { id: string; email: string; name: string }) =>
      thrownStatus(
        requireMember(
          browserRequest(`/w/${workspace.slug}`, await signedInCookie(user)),
          loadContext(),
          { slug: workspace.slug },
          { allowDeleted: true },
        ),
      );
    expect(await enter(workspace.owner)).toBe(200);
    expect(await enter(admin)).toBe(404);
  });
});

describe('invitations', () => {
  it('lets a new person create an account from the link and join with the invited role', async () => {
    const workspace = await createTestWorkspace();
    const ctx = { userId: workspace.owner.id, workspaceId: workspace.id };
    expect(
      await inviteMember(ctx, { email: 'newcomer@example.test', role: 'manager' }, 'en'),
    ).toEqual({ kind: 'sent' });
    const token = await invitationLink('newcomer@example.test');
    expect(await viewInvitation(token)).toMatchObject({
      workspaceName: workspace.name,
      email: 'newcomer@example.test',
      role: 'manager',
      invitedByName: workspace.owner.name,
    });
    const joined = await joinWithNewAccount(
      token,
      { name: 'New Comer', password: 'a fine passphrase' },
      'en',
    );
    expect(joined).toMatchObject({
      kind: 'joined',
      slug: workspace.slug,
      setCookie: expect.stringMatching(/^workroom_session=/),
    });
    expect(
      await joinWithNewAccount(token, { name: 'Twice', password: 'a fine passphrase' }, 'en'),
    ).toEqual({ kind: 'invalid' });
    expect(await viewInvitation(token)).toBeNull();
    const [row] =
      await owner`select m.role, u.email_verified_at is not null as verified from memberships m join users u on u.id = m.user_id where u.email = 'newcomer@example.test'`;
    expect(row).toEqual({ role: 'manager', verified: true });
  });

  it('is accepted only by the account of the invited address', async () => {
    const workspace = await createTestWorkspace();
    const invited = await createUser({ email: 'invited@example.test' });
    const someoneElse = await createUser();
    await inviteMember(
      { userId: workspace.owner.id, workspaceId: workspace.id },
      { email: invited.email, role: 'member' },
      'en',
    );
    const token = await invitationLink(invited.email);
    expect(await acceptInvitation(token, someoneElse)).toEqual({
      kind: 'wrong_account',
      email: invited.email,
    });
    expect(await acceptInvitation(token, invited)).toEqual({
      kind: 'joined',
      slug: workspace.slug,
    });
  });

  it('stops working when withdrawn, resent (the old link) or expired; a member or a pending address is not invited twice', async () => {
    const workspace = await createTestWorkspace();
    const ctx = { userId: workspace.owner.id, workspaceId: workspace.id };
    await inviteMember(ctx, { email: 'a@example.test', role: 'member' }, 'en');
    expect(await inviteMember(ctx, { email: 'a@example.test', role: 'member' }, 'en')).toEqual({
      kind: 'already_invited',
    });
    expect(await inviteMember(ctx, { email: workspace.owner.email, role: 'member' }, 'en')).toEqual(
      { kind: 'already_member' },
    );
    const first = await invitationLink('a@example.test');
    const [{ id }] =
      (await owner`select id from invitations where email = 'a@example.test'`) as unknown as [
        { id: string },
      ];
    expect(await resendInvitation(ctx, id, 'en')).toBe(true);
    const second = linkIn((await inbox.mailTo('a@example.test'))[0]!.text, '/invitations/')
      .split('/')
      .pop()!;
    // Sending the new link retired the old one.
    expect(await viewInvitation(first)).toBeNull();
    expect(await viewInvitation(second)).not.toBeNull();
    await owner`update invitations set expires_at = now() - interval '1 minute' where id = ${id}`;
    expect(await viewInvitation(second)).toBeNull();
    await owner`update invitations set expires_at = now() + interval '1 day' where id = ${id}`;
    expect(await revokeInvitation(ctx, id)).toBe(true);
    expect(await viewInvitation(second)).toBeNull();
  });

  it('rejects tokens that do not name a workspace', async () => {
    expect(await viewInvitation('garbage')).toBeNull();
    expect(
      await viewInvitation(`00000000-0000-0000-0000-000000000000.${'x'.repeat(43)}`),
    ).toBeNull();
  });
});

describe('members and roles', () => {
  it('never leaves a workspace without an active owner', async () => {
    const workspace = await createTestWorkspace();
    const ctx = { userId: workspace.owner.id, workspaceId: workspace.id };
    const admin = await addMember(workspace, 'admin');
    expect(await changeMemberRole(ctx, workspace.owner.id, 'admin')).toBe('last_owner');
    expect(await setMemberStatus(ctx, workspace.owner.id, 'deactivated')).toBe('last_owner');
    expect(await removeMember(ctx, workspace.owner.id)).toBe('last_owner');
    expect(await transferOwnership(ctx, admin.id)).toBe('done');
    const roles =
      await owner`select user_id, role from memberships where workspace_id = ${workspace.id} order by role`;
    expect(roles).toEqual([
      { user_id: admin.id, role: 'owner' },
      { user_id: workspace.owner.id, role: 'admin' },
    ]);
  });

  it('keeps an owner when two owners step each other down at the same moment', async () => {
    const workspace = await createTestWorkspace();
    const second = await addMember(workspace, 'owner');
    // Two transactions each demote the other owner; both reach COMMIT before either finishes.
    const sql = postgres(testDatabase.appUrl, {
      max: 2,
      onnotice: () => {},
      connection: { role: 'workroom_app' },
    });
    const [one, two] = [await sql.reserve(), await sql.reserve()];
    for (const [connection, actor, target] of [
      [one, workspace.owner.id, second.id],
      [two, second.id, workspace.owner.id],
    ] as const) {
      await connection.unsafe('begin');
      await connection`select set_config('app.user_id', ${actor}, true), set_config('app.workspace_id', ${workspace.id}, true)`;
      await connection`update memberships set role = 'admin' where user_id = ${target}`;
    }
    const outcomes = await Promise.allSettled([one.unsafe('commit'), two.unsafe('commit')]);
    one.release();
    two.release();
    await sql.end();
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const [owners] =
      await owner`select count(*)::int as count from memberships where workspace_id = ${workspace.id} and role = 'owner'`;
    expect(owners!.count).toBe(1);
  });

  it('records every role change in the audit log with what changed', async () => {
    const workspace = await createTestWorkspace();
    const ctx = { userId: workspace.owner.id, workspaceId: workspace.id };
    const member = await addMember(workspace, 'member');
    expect(await changeMemberRole(ctx, member.id, 'manager')).toBe('done');
    const [event] =
      await owner`select actor_id, target_id, changes from audit_events where action = 'member.role_changed' and workspace_id = ${workspace.id}`;
    expect(event).toEqual({
      actor_id: workspace.owner.id,
      target_id: member.id,
      changes: { role: { from: 'member', to: 'manager' } },
    });
  });

  it('finds members by name, role, status and division', async () => {
    const workspace = await createTestWorkspace();
    const ctx = { userId: workspace.owner.id, workspaceId: workspace.id };
    const ana = await addMember(workspace, 'manager', await createUser({ name: 'Ana Torres' }));
    await addMember(workspace, 'guest', await createUser({ name: 'Bruno Díaz' }));
    await createDivision(ctx, 'Sales');
    const [sales] = await listDivisions(ctx);
    await setMemberDivisions(ctx, ana.id, [sales!.id]);
    const names = async (filters: Parameters<typeof listMembers>[1]) =>
      (await listMembers(ctx, filters, 1)).rows.map((row) => row.name);
    expect(await names({ q: 'torr' })).toEqual(['Ana Torres']);
    expect(await names({ role: 'guest' })).toEqual(['Bruno Díaz']);
    expect(await names({ division: sales!.id })).toEqual(['Ana Torres']);
    expect(await names({ q: '%' })).toEqual([]);
    expect(
      (await listMembers(ctx, {}, 1)).rows.find((row) => row.name === 'Ana Torres')?.divisions,
    ).toEqual(['Sales']);
  });

  it('keeps division names unique regardless of case', async () => {
    const workspace = await createTestWorkspace();
    const ctx = { userId: workspace.owner.id, workspaceId: workspace.id };
    expect(await createDivision(ctx, 'Support')).toBe('created');
    expect(await createDivision(ctx, 'support')).toBe('name_taken');
    await createDivision(ctx, 'Billing');
    const billing = (await listDivisions(ctx)).find((division) => division.name === 'Billing')!;
    expect(await renameDivision(ctx, billing.id, 'SUPPORT')).toBe('name_taken');
  });
});

describe('what a guest may see', () => {
  it('is only what they were added to; everyone else sees everything', async () => {
    const workspace = await createTestWorkspace();
    const guest = await addMember(workspace, 'guest');
    const member = await addMember(workspace, 'member');
    const ctx = { userId: workspace.owner.id, workspaceId: workspace.id };
    await withWorkspace(ctx, (trx) =>
      grantAccess(trx, { ctx }, { resourceType: 'project', resourceId: 'p-2', userId: guest.id }),
    );
    const visible = (userId: string, role: 'guest' | 'member') =>
      withWorkspace({ userId, workspaceId: workspace.id }, async (trx) => {
        const { rows } = await sql<{
          id: string;
        }>`select id from (values ('p-1'), ('p-2')) as projects(id) where ${visibleToMember(
          { role, ctx: { userId, workspaceId: workspace.id } },
          'project',
          sql.ref('projects.id'),
        )} order by id`.execute(trx);
        return rows.map((row) => row.id);
      });
    expect(await visible(guest.id, 'guest')).toEqual(['p-2']);
    expect(await visible(member.id, 'member')).toEqual(['p-1', 'p-2']);
  });
});

describe('the nightly purge', () => {
  it('removes workspaces deleted more than 30 days ago, stale unverified sign-ups and expired sessions, and nothing else', async () => {
    const old = await createTestWorkspace();
    const recent = await createTestWorkspace();
    await deleteWorkspace({ userId: old.owner.id, workspaceId: old.id });
    await deleteWorkspace({ userId: recent.owner.id, workspaceId: recent.id });
    await owner`update workspaces set deleted_at = now() - interval '31 days' where id = ${old.id}`;
    await owner`update workspaces set deleted_at = now() - interval '29 days' where id = ${recent.id}`;
    const stale = await createUser({ verified: false });
    const fresh = await createUser({ verified: false });
    await owner`update users set created_at = now() - interval '8 days' where id = ${stale.id}`;
    const expired = await createUser();
    await signedInCookie(expired);
    await owner`update sessions set expires_at = now() - interval '1 minute' where user_id = ${expired.id}`;
    await purgeJob.run({}, { attempt: 1, jobId: '1' });
    await purgeJob.run({}, { attempt: 1, jobId: '2' });
    expect(await owner`select id from workspaces where id in (${old.id}, ${recent.id})`).toEqual([
      { id: recent.id },
    ]);
    expect(await owner`select 1 from memberships where workspace_id = ${old.id}`).toHaveLength(0);
    expect(
      (await owner`select id from users where id in (${stale.id}, ${fresh.id})`).map(
        (row) => row.id,
      ),
    ).toEqual([fresh.id]);
    expect(await owner`select 1 from sessions where user_id = ${expired.id}`).toHaveLength(0);
  });
});
