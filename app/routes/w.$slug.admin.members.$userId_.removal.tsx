import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { loadMemberAction } from '~/modules/workspaces/membership-actions.server';
import { removeMember } from '~/modules/workspaces/members.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { badRequest, notFound } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('workspaces:member.removeTitle') };

/** Removing someone is asked twice: this page says what happens, and its button does it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, target, memberPage } = await loadMemberAction(
    request,
    context,
    params,
    workspacePolicy.changeMembership,
  );
  if (target.id === actor.user.id) throw badRequest();
  return { name: target.name ?? '', email: target.email ?? '', memberPage };
}

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

export default function RemoveMember() {
  const t = useT();
  const { name, email, memberPage } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <PageHeader title={t('workspaces:member.removeConfirm', { name })} description={email} />
      <p>{t('workspaces:member.removeIntro')}</p>
      <form method="post" className="button-row">
        <Button variant="danger">{t('workspaces:member.remove')}</Button>
        <a href={memberPage}>{t('common:actions.cancel')}</a>
      </form>
    </div>
  );
}
