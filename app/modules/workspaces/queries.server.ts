import type { AppLoadContext } from '@remix-run/node';
import {
  requireSession,
  type CurrentSession,
  type CurrentUser,
} from '~/modules/accounts/session.server';
import type { WorkspaceContext } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import { forbidden, notFound } from '~/platform/http-errors.server';
import { roleAtLeast } from './roles';

export type WorkspaceSummary = { id: string; slug: string; name: string };

/** The workspaces I may enter now, for the switcher; deleted ones are left out. */
export function listMyWorkspaces(session: CurrentSession): WorkspaceSummary[] {
  return session.memberships
    .filter((membership) => !membership.deletedAt)
    .map(({ id, slug, name }) => ({ id, slug, name }));
}

export type Member = {
  user: CurrentUser;
  sessionId: string;
  workspace: {
    id: string;
    slug: string;
    name: string;
    brandColor: string | null;
    logoFileId: string | null;
    deletedAt: Date | null;
  };
  role: WorkspaceRole;
  /** For withWorkspace(): the acting user in this workspace. */
  ctx: WorkspaceContext;
};

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
  const { id: sessionId, user, memberships } = await requireSession(request, context);
  const slug = params.slug ?? '';
  const found = memberships.find((membership) => membership.slug === slug);
  if (!found) throw notFound();
  const { role, ...workspace } = found;
  const member: Member = {
    user,
    sessionId,
    workspace,
    role,
    ctx: { userId: user.id, workspaceId: workspace.id },
  };
  if (member.workspace.deletedAt && !(options.allowDeleted && member.role === 'owner'))
    throw notFound();
  if (options.minimumRole && !roleAtLeast(member.role, options.minimumRole)) throw forbidden();
  return member;
}

/** 403 unless the policy allows it: for checks beyond a minimum role. */
export function assertAllowed(allowed: boolean): void {
  if (!allowed) throw forbidden();
}
