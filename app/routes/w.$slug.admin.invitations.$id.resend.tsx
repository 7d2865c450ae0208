import { getReader } from '~/modules/accounts/reader.server';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { resendInvitation } from '~/modules/workspaces/invitations.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { redirectWithFlash } from '~/platform/flash.server';
import { uuidParam } from '~/platform/http-errors.server';
import { consumeLimit } from '~/platform/rate-limit.server';

export async function action({ request, context, params }: ActionFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.invite(member.role));
  await consumeLimit('invitationsByWorkspace', member.workspace.id);
  const resent = await resendInvitation(member.ctx, uuidParam(params.id), reader.locale);
  return redirectWithFlash(
    `/w/${member.workspace.slug}/admin/members`,
    resent
      ? { key: 'workspaces:members.resent', kind: 'success' }
      : { key: 'workspaces:members.invitationGone', kind: 'error' },
  );
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params, { minimumRole: 'admin' });
  return redirect(`/w/${member.workspace.slug}/admin/members`);
}
