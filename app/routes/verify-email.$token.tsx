import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { isVerificationTokenValid, verifyEmail } from '~/modules/accounts/identity.server';
import { useT } from '~/platform/document-context';
import { flashCookieHeader } from '~/platform/flash.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:verify.title') };

// Opening the link only shows a button: mail scanners that fetch links must not use up the token.
export async function loader({ params }: LoaderFunctionArgs) {
  const valid = await isVerificationTokenValid(params.token ?? '');
  return data({ valid }, { status: valid ? 200 : 410 });
}

export async function action({ params }: ActionFunctionArgs) {
  const verified = await verifyEmail(params.token ?? '');
  if (!verified) throw redirect(`/verify-email/${encodeURIComponent(params.token ?? '')}`, 303);
  const headers = new Headers();
  headers.append('Set-Cookie', verified.setCookie);
  headers.append(
    'Set-Cookie',
    await flashCookieHeader({ kind: 'success', key: 'accounts:verify.done' }),
  );
  return redirect('/', { status: 303, headers });
}

export default function VerifyEmail() {
  const t = useT();
  const { valid } = useLoaderData<typeof loader>();
  if (!valid) {
    return (
      <div className="narrow">
        <PageHeader title={t('accounts:verify.invalidTitle')} />
        <p>{t('accounts:verify.invalid')}</p>
        <p>
          <a href="/verify-email">{t('accounts:verify.resendTitle')}</a>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <PageHeader title={t('accounts:verify.title')} />
      <p>{t('accounts:verify.confirmIntro')}</p>
      <form method="post">
        <Button>{t('accounts:verify.confirm')}</Button>
      </form>
    </div>
  );
}
