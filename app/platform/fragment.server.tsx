import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { assetUrls } from './assets.server';
import { DocumentProvider } from './document-context';
import { getEnv } from './env.server';
import type { Locale } from './i18n/locales';

/**
 * A piece of a page rendered on its own, for htmx to swap (a moved card) or a live event to
 * carry: the same components as the page, in the reader's language and time zone.
 */
export function renderFragment(
  reader: { locale: Locale; timeZone: string },
  element: ReactNode,
): string {
  const urls = assetUrls();
  const assets = {
    css: urls['app.css'],
    js: urls['app.js'],
    htmx: urls['htmx.js'],
    htmxSse: urls['htmx-sse.js'],
  };
  return renderToStaticMarkup(
    <DocumentProvider
      locale={reader.locale}
      timeZone={reader.timeZone}
      assets={assets}
      production={getEnv().isProduction}
    >
      {element}
    </DocumentProvider>,
  );
}

/** An htmx fragment response (never cached: it answers one change for one reader). */
export function fragmentResponse(html: string, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.set('Cache-Control', 'no-store');
  return new Response(html, { ...init, headers });
}
