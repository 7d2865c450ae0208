import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { redirectWithFlash } from '~/platform/flash.server';
import { notFound, uuidParam } from '~/platform/http-errors.server';
import { getMember, type MembershipChangeResult } from './members.server';
import { assertAllowed, requireMember, type Member } from './queries.server';
import type { WorkspaceRole } from '~/platform/db/schema';

/**
 * The shared start of the member sub-resources (role, status, removal, divisions): the actor,
 * the target member, and a 403 unless the policy allows this actor to touch that member.
 */
export async function loadMemberAction(
  request: Request,
  context: AppLoadContext,
  params: { slug?: string; userId?: string },
  allowed: (actorRole: WorkspaceRole, targetRole: WorkspaceRole) => boolean,
): Promise<{
  actor: Member;
  target: NonNullable<Awaited<ReturnType<typeof getMember>>>;
  memberPage: string;
}> {
  // Only admins manage members at all: a 403 before any lookup, whatever the id.
  const actor = await requireMember(request, context, params, { minimumRole: 'admin' });
  const target = await getMember(actor.ctx, uuidParam(params.userId));
  if (!target) throw notFound();
  assertAllowed(allowed(actor.role, target.role));
  return { actor, target, memberPage: `/w/${actor.workspace.slug}/admin/members/${target.id}` };
}

/** Back to the member's page with what happened. */
export function afterMembershipChange(
  result: MembershipChangeResult,
  memberPage: string,
  successKey: string,
) {
  if (result === 'not_found') throw notFound();
  if (result === 'last_owner')
    return redirectWithFlash(memberPage, { kind: 'error', key: 'workspaces:member.lastOwner' });
  return redirectWithFlash(memberPage, { kind: 'success', key: successKey });
}

/** GET on a sub-resource shows the member's page (to admins; everyone else gets 403 or 404). */
export async function memberPageRedirect({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireMember(request, context, params, { minimumRole: 'admin' });
  return redirect(`/w/${actor.workspace.slug}/admin/members/${uuidParam(params.userId)}`);
}
