import type { LoaderFunctionArgs } from '@remix-run/node';
import { Outlet, useLocation } from '@remix-run/react';
import { requireUser } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  return null;
}

const sections = [
  ['/account', 'accounts:account.nav.profile'],
  ['/account/email', 'accounts:account.nav.email'],
  ['/account/password', 'accounts:account.nav.password'],
  ['/account/two-factor', 'accounts:account.nav.twoFactor'],
  ['/account/sessions', 'accounts:account.nav.sessions'],
  ['/account/data', 'accounts:account.nav.data'],
  ['/account/delete', 'accounts:account.nav.delete'],
] as const;

export default function AccountLayout() {
  const t = useT();
  const { pathname } = useLocation();
  return (
    <>
      <nav className="subnav" aria-label={t('accounts:account.nav.label')}>
        <ul>
          {sections.map(([href, key]) => (
            <li key={href}>
              <a href={href} aria-current={pathname === href ? 'page' : undefined}>
                {t(key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
