import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { signOut } from '~/modules/accounts/identity.server';
import { clearSessionCookie, getCurrentSession } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('nav.signOut') };

// Signing out is a POST (the header's button); a GET only asks, so a link cannot sign anyone out.
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!(await getCurrentSession(request, context))) throw redirect('/login');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getCurrentSession(request, context);
  if (session) await signOut(session.id, session.user.id);
  return redirect('/login', { status: 303, headers: { 'Set-Cookie': await clearSessionCookie() } });
}

export default function SignOut() {
  const t = useT();
  return (
    <div className="narrow">
      <PageHeader title={t('nav.signOut')} />
      <form method="post">
        <Button>{t('nav.signOut')}</Button>
      </form>
    </div>
  );
}
