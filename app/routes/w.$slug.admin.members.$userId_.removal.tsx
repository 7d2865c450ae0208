import type { ActionFunctionArgs } from '@remix-run/node';
import {
  loadMemberAction,
  memberPageRedirect,
} from '~/modules/workspaces/membership-actions.server';
import { removeMember } from '~/modules/workspaces/members.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { redirectWithFlash } from '~/platform/flash.server';
import { badRequest, notFound } from '~/platform/http-errors.server';

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, target, memberPage } = await loadMemberAction(
    request,
    context,
    params,
    workspacePolicy.changeMembership,
  );
  if (target.id === actor.user.id) throw badRequest();
  const result = await removeMember(actor.ctx, target.id);
  if (result === 'not_found') throw notFound();
  if (result === 'last_owner')
    return redirectWithFlash(memberPage, { kind: 'error', key: 'workspaces:member.lastOwner' });
  return redirectWithFlash(`/w/${actor.workspace.slug}/admin/members`, {
    kind: 'success',
    key: 'workspaces:member.removed',
    values: { name: target.name ?? '' },
  });
}

export const loader = memberPageRedirect;
