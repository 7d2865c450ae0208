import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { revokeInvitation } from '~/modules/workspaces/invitations.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { redirectWithFlash } from '~/platform/flash.server';
import { uuidParam } from '~/platform/http-errors.server';

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.invite(member.role));
  const revoked = await revokeInvitation(member.ctx, uuidParam(params.id));
  return redirectWithFlash(
    `/w/${member.workspace.slug}/admin/members`,
    revoked
      ? { key: 'workspaces:members.revoked', kind: 'success' }
      : { key: 'workspaces:members.invitationGone', kind: 'error' },
  );
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params, { minimumRole: 'admin' });
  return redirect(`/w/${member.workspace.slug}/admin/members`);
}
