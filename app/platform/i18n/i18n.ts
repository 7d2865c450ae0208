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
  'chat',
] as const;

/** Keys are checked at compile time: "accounts:signIn.title", or a bare key for `common`. */
export type T = TFunction<typeof namespaces>;

const fixedTs = new Map<Locale, T>();

/** A placeholder as our strings write it: {{name}} (no formats, no nesting, no unescaped). */
const placeholder = /\{\{\s*(\w+)\s*\}\}/g;
/** i18next's own options: a call with any of them but `count` goes to i18next unchanged. */
const i18nextOptions = new Set([
  'lng',
  'lngs',
  'ns',
  'context',
  'defaultValue',
  'returnObjects',
  'returnDetails',
  'ordinal',
  'replace',
  'interpolation',
  'skipInterpolation',
  'postProcess',
  'keySeparator',
  'nsSeparator',
  'joinArrays',
  'fallbackLng',
  'nest',
  'keyPrefix',
]);
const isI18nextOption = (name: string) =>
  i18nextOptions.has(name) || name.startsWith('defaultValue');
/** Remembered answers per locale; bounded, should a key ever come from outside our code. */
const MAX_REMEMBERED = 10_000;

/**
 * The `t` of a locale, built once per process, that remembers what i18next's lookup found
 * (namespaces, fallbacks, the plural form for a count): a board of 200 cards asks for "Move",
 * "Move SPRING-12 to" and each status's name hundreds of times, and that lookup was a fifth of
 * the page's time. A key without values is remembered as its text; with values, as its
 * template (per plural form of the count, which picks the string), whose {{name}}s are then
 * filled in here exactly as i18next would (escapeValue is off). Anything else goes to i18next.
 */
export function getT(locale: Locale): T {
  let t = fixedTs.get(locale);
  if (!t) {
    const fixed = (instance.getFixedT as (lng: string, ns: readonly string[]) => unknown)(
      locale,
      namespaces,
    ) as (...args: unknown[]) => string;
    const plurals = new Intl.PluralRules(locale);
    /** A key's text, or its template; null when the template is beyond {{name}}. */
    const remembered = new Map<string, string | null>();
    const remember = (cacheKey: string, find: () => string | null) => {
      let found = remembered.get(cacheKey);
      if (found === undefined) {
        found = find();
        if (remembered.size < MAX_REMEMBERED) remembered.set(cacheKey, found);
      }
      return found;
    };
    t = ((...args: unknown[]) => {
      const [key, options] = args;
      if (typeof key !== 'string' || args.length > 2) return fixed(...args);
      if (options === undefined) return remember(key, () => fixed(key));
      if (typeof options !== 'object' || options === null) return fixed(...args);
      const values = options as Record<string, unknown>;
      for (const name in values) {
        const value = values[name];
        if (
          (name !== 'count' && isI18nextOption(name)) ||
          (typeof value !== 'string' && typeof value !== 'number')
        )
          return fixed(...args);
      }
      const count = values.count;
      // i18next pluralises only a numeric count; 0 may have a string of its own (_zero).
      if (count !== undefined && typeof count !== 'number') return fixed(...args);
      const form = count === undefined ? '' : count === 0 ? 'zero' : plurals.select(count);
      const template = remember(`${key}\0${form}`, () => {
        const raw = fixed(
          key,
          count === undefined ? { skipInterpolation: true } : { count, skipInterpolation: true },
        );
        return raw.includes('$t(') || /\{\{(?!\s*\w+\s*\}\})/.test(raw) ? null : raw;
      });
      if (template === null) return fixed(...args);
      let missing = false;
      const text = template.replace(placeholder, (whole, name: string) => {
        if (!(name in values)) {
          missing = true;
          return whole;
        }
        return String(values[name]);
      });
      // i18next decides what a missing value becomes; ask it.
      return missing ? fixed(...args) : text;
    }) as unknown as T;
    fixedTs.set(locale, t);
  }
  return t;
}
