import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { transferOwnership } from '~/modules/workspaces/members.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { redirectWithFlash } from '~/platform/flash.server';
import { readForm } from '~/platform/forms.server';
import { notFound, uuidParam } from '~/platform/http-errors.server';

/** The owner hands the workspace to another active member and becomes an admin. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.transferOwnership(member.role));
  const userId = uuidParam(String((await readForm(request)).get('userId') ?? ''));
  const result = await transferOwnership(member.ctx, userId);
  if (result !== 'done') throw notFound();
  return redirectWithFlash(`/w/${member.workspace.slug}/admin/members/${userId}`, {
    kind: 'success',
    key: 'workspaces:member.ownershipTransferred',
  });
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params, { minimumRole: 'admin' });
  return redirect(`/w/${member.workspace.slug}/admin/members`);
}
