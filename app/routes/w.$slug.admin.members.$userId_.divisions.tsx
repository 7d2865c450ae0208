import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { setMemberDivisions } from '~/modules/workspaces/divisions.server';
import {
  loadMemberAction,
  memberPageRedirect,
} from '~/modules/workspaces/membership-actions.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { redirectWithFlash } from '~/platform/flash.server';
import { readForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, target, memberPage } = await loadMemberAction(
    request,
    context,
    params,
    (actorRole) => workspacePolicy.manageDivisions(actorRole),
  );
  const ids = z
    .array(z.uuid())
    .max(200)
    .safeParse((await readForm(request)).getAll('divisionId'));
  if (!ids.success) throw badRequest();
  await setMemberDivisions(actor.ctx, target.id, ids.data);
  return redirectWithFlash(memberPage, {
    kind: 'success',
    key: 'workspaces:member.divisionsSaved',
  });
}

export const loader = memberPageRedirect;
