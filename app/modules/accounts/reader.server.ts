import type { AppLoadContext } from '@remix-run/node';
import type { Locale } from '~/platform/i18n/locales';
import { requestLocale } from '~/platform/i18n/request-locale.server';
import { memoize } from '~/platform/load-context';
import { getCurrentSession } from './session.server';

export type Reader = { locale: Locale; timeZone: string };

/**
 * The language and time zone to write for: the signed-in person's settings, else the
 * browser's. Loaders run in parallel, so each asks here rather than waiting on the root's.
 */
export function getReader(request: Request, context: AppLoadContext): Promise<Reader> {
  return memoize(context, 'reader', async () => {
    const session = await getCurrentSession(request, context);
    return {
      locale: await requestLocale(request, session?.user.locale),
      timeZone: session?.user.timeZone ?? 'UTC',
    };
  });
}
