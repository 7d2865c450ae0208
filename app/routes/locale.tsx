import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { setLocale } from '~/modules/accounts/account-settings.server';
import { getCurrentSession, safeRedirectPath } from '~/modules/accounts/session.server';
import { readForm } from '~/platform/forms.server';
import { localeCookie } from '~/platform/i18n/request-locale.server';
import { isLocale } from '~/platform/i18n/locales';
import { badRequest } from '~/platform/http-errors.server';

/** The footer's language switch: remembered on this browser, and as the setting of whoever is signed in. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const locale = form.get('locale');
  if (!isLocale(locale)) throw badRequest();
  const session = await getCurrentSession(request, context);
  if (session) await setLocale(session.user.id, locale);
  return redirect(safeRedirectPath(form.get('redirectTo')), {
    status: 303,
    headers: { 'Set-Cookie': await localeCookie.serialize(locale) },
  });
}

export async function loader() {
  return redirect('/');
}
