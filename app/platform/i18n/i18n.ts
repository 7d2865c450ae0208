import i18next, { type TFunction } from 'i18next';
import { resources } from './resources';
import { defaultLocale, locales, type Locale } from './locales';

/**
 * One i18next instance per process, initialised synchronously with every string; a request
 * asks it for a `t` fixed to the reader's locale (cheap), rather than building an instance.
 */
const instance = i18next.createInstance();
void instance.init({
  resources,
  supportedLngs: [...locales],
  fallbackLng: defaultLocale,
  defaultNS: 'common',
  ns: Object.keys(resources.en),
  initAsync: false,
  // React escapes what it renders; escaping here too would double-escape.
  interpolation: { escapeValue: false },
  returnNull: false,
});

const namespaces = [
  'common',
  'accounts',
  'workspaces',
  'audit',
  'files',
  'projects',
  'tasks',
  'notifications',
] as const;

/** Keys are checked at compile time: "accounts:signIn.title", or a bare key for `common`. */
export type T = TFunction<typeof namespaces>;

export function getT(locale: Locale): T {
  return (instance.getFixedT as (lng: string, ns: readonly string[]) => unknown)(
    locale,
    namespaces,
  ) as T;
}
