import type { AppLoadContext } from '@remix-run/node';
import { requireUser, type CurrentUser } from '~/modules/accounts/session.server';
import { withSystem, type WorkspaceContext } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import { forbidden, notFound } from '~/platform/http-errors.server';
import { memoize } from '~/platform/load-context';
import { roleAtLeast } from './roles';

export type WorkspaceSummary = { id: string; slug: string; name: string };

/** The workspaces I am an active member of, for the switcher; deleted ones are left out. */
export function listMyWorkspaces(userId: string): Promise<WorkspaceSummary[]> {
  return withSystem(userId, (trx) =>
    trx
      .selectFrom('workspaces')
      .innerJoin('memberships', 'memberships.workspaceId', 'workspaces.id')
      .select(['workspaces.id', 'workspaces.slug', 'workspaces.name'])
      .where('memberships.userId', '=', userId)
      .where('memberships.status', '=', 'active')
      .where('workspaces.deletedAt', 'is', null)
      .orderBy('workspaces.name')
      .execute(),
  );
}

export type Member = {
  user: CurrentUser;
  workspace: {
    id: string;
    slug: string;
    name: string;
    brandColor: string | null;
    deletedAt: Date | null;
  };
  role: WorkspaceRole;
  /** For withWorkspace(): the acting user in this workspace. */
  ctx: WorkspaceContext;
};

async function findMembership(user: CurrentUser, slug: string): Promise<Member | null> {
  if (!/^[a-z0-9-]{1,40}$/.test(slug)) return null;
  const row = await withSystem(user.id, (trx) =>
    trx
      .selectFrom('workspaces')
      .innerJoin('memberships', 'memberships.workspaceId', 'workspaces.id')
      .select([
        'workspaces.id',
        'workspaces.slug',
        'workspaces.name',
        'workspaces.brandColor',
        'workspaces.deletedAt',
        'memberships.role',
      ])
      .where('workspaces.slug', '=', slug)
      .where('memberships.userId', '=', user.id)
      .where('memberships.status', '=', 'active')
      .executeTakeFirst(),
  );
  if (!row) return null;
  const { role, ...workspace } = row;
  return { user, workspace, role, ctx: { userId: user.id, workspaceId: workspace.id } };
}

/**
 * Every loader and action under /w/:slug starts here: signed in, an active member of this
 * workspace (otherwise 404: a workspace's existence is not told to outsiders), and at least the
 * given role (otherwise 403). A deleted workspace is reachable only by its owners, to restore it.
 */
export async function requireMember(
  request: Request,
  context: AppLoadContext,
  params: { slug?: string },
  options: { minimumRole?: WorkspaceRole; allowDeleted?: boolean } = {},
): Promise<Member> {
  const user = await requireUser(request, context);
  const slug = params.slug ?? '';
  const member = await memoize(context, `member:${slug}`, () => findMembership(user, slug));
  if (!member) throw notFound();
  if (member.workspace.deletedAt && !(options.allowDeleted && member.role === 'owner'))
    throw notFound();
  if (options.minimumRole && !roleAtLeast(member.role, options.minimumRole)) throw forbidden();
  return member;
}

/** 403 unless the policy allows it: for checks beyond a minimum role. */
export function assertAllowed(allowed: boolean): void {
  if (!allowed) throw forbidden();
}
