import { getReader } from '~/modules/accounts/reader.server';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { confirmEmailChange, pendingEmailChange } from '~/modules/accounts/account-settings.server';
import { requireUser } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:email.confirmTitle') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(request, context);
  const email = await pendingEmailChange(params.token ?? '');
  return data({ email }, { status: email ? 200 : 410 });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const reader = await getReader(request, context);
  const user = await requireUser(request, context);
  const result = await confirmEmailChange(user.id, params.token ?? '', reader.locale);
  if (result === 'changed')
    return redirectWithFlash('/account/email', { kind: 'success', key: 'accounts:email.changed' });
  if (result === 'taken')
    return redirectWithFlash('/account/email', { kind: 'error', key: 'accounts:email.taken' });
  throw redirect(`/account/email/${encodeURIComponent(params.token ?? '')}`, 303);
}

export default function ConfirmEmail() {
  const t = useT();
  const { email } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={t('accounts:email.confirmTitle')} />
      {email ? (
        <form method="post">
          <p>{t('accounts:email.confirmIntro', { email })}</p>
          <Button>{t('accounts:email.confirm')}</Button>
        </form>
      ) : (
        <p>{t('accounts:email.invalidLink')}</p>
      )}
    </>
  );
}
