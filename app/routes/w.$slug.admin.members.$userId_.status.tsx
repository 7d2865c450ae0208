import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import {
  afterMembershipChange,
  loadMemberAction,
  memberPageRedirect,
} from '~/modules/workspaces/membership-actions.server';
import { setMemberStatus } from '~/modules/workspaces/members.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { readForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';

const statusSchema = z.object({ status: z.enum(['active', 'deactivated']) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, target, memberPage } = await loadMemberAction(
    request,
    context,
    params,
    workspacePolicy.changeMembership,
  );
  const parsed = statusSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success || target.id === actor.user.id) throw badRequest();
  const result = await setMemberStatus(actor.ctx, target.id, parsed.data.status);
  return afterMembershipChange(
    result,
    memberPage,
    parsed.data.status === 'active'
      ? 'workspaces:member.reactivated'
      : 'workspaces:member.deactivated',
  );
}

export const loader = memberPageRedirect;
