import type { ActionFunctionArgs } from '@remix-run/node';
import {
  afterMembershipChange,
  loadMemberAction,
  memberPageRedirect,
} from '~/modules/workspaces/membership-actions.server';
import { changeMemberRole } from '~/modules/workspaces/members.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { roleSchema } from '~/modules/workspaces/schema';
import type { WorkspaceRole } from '~/platform/db/schema';
import { readForm } from '~/platform/forms.server';
import { badRequest, forbidden } from '~/platform/http-errors.server';

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, target, memberPage } = await loadMemberAction(
    request,
    context,
    params,
    (actorRole) => workspacePolicy.manageMembers(actorRole),
  );
  const parsed = roleSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw badRequest();
  const role = parsed.data.role as WorkspaceRole;
  if (!workspacePolicy.changeRole(actor.role, target.role, role)) throw forbidden();
  return afterMembershipChange(
    await changeMemberRole(actor.ctx, target.id, role),
    memberPage,
    'workspaces:member.roleChanged',
  );
}

export const loader = memberPageRedirect;
