import { createContext, useContext, type ReactNode } from 'react';
import { createFormatter, type Formatter } from './i18n/format';
import { getT, type T } from './i18n/i18n';
import type { Locale } from './i18n/locales';

export type AssetUrls = { css: string; js: string; htmx: string; htmxSse: string };

type DocumentState = { locale: Locale; timeZone: string; assets: AssetUrls; production: boolean };
type DocumentValue = DocumentState & { t: T; format: Formatter };

const DocumentContext = createContext<DocumentValue | null>(null);

/**
 * What every page needs whether or not its loaders succeeded (error pages too): the reader's
 * language and time zone, and the asset URLs. Set once per request in entry.server.
 */
export function DocumentProvider({ children, ...state }: DocumentState & { children: ReactNode }) {
  const value = {
    ...state,
    t: getT(state.locale),
    format: createFormatter(state.locale, state.timeZone),
  };
  return <DocumentContext.Provider value={value}>{children}</DocumentContext.Provider>;
}

export function useDocument(): DocumentValue {
  const value = useContext(DocumentContext);
  if (!value) throw new Error('useDocument() outside DocumentProvider');
  return value;
}

export const useT = (): T => useDocument().t;
export const useFormat = (): Formatter => useDocument().format;
