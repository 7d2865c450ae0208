import { createCookie } from '@remix-run/node';
import { isLocale, resolveLocale, type Locale } from './locales';

/** A signed-out reader's choice of language (the footer's switcher); a preference, not a secret. */
export const localeCookie = createCookie('workroom_locale', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

/** The person's setting, else their earlier choice on this browser, else Accept-Language. */
export async function requestLocale(request: Request, userLocale?: Locale | null): Promise<Locale> {
  if (userLocale) return userLocale;
  const chosen: unknown = await localeCookie.parse(request.headers.get('Cookie'));
  if (isLocale(chosen)) return chosen;
  return resolveLocale(request.headers.get('Accept-Language'));
}
