import { renderToStaticMarkup } from 'react-dom/server';
import { StatusPage } from '~/ui/status-page';
import { assetUrls } from '../assets.server';
import { DocumentProvider, useT } from '../document-context';
import type { Locale } from '../i18n/locales';

function StatusDocument({ status, css }: { status: 400 | 403 | 413; css: string }) {
  const t = useT();
  return (
    <html lang={t('meta.lang')}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${t(`errors.${status}.title`)} · Workroom`}</title>
        <link rel="stylesheet" href={css} />
      </head>
      <body>
        <main id="main">
          <StatusPage status={status} />
        </main>
      </body>
    </html>
  );
}

/**
 * For requests refused before Remix sees them (a forged cross-site post, a malformed URL, an
 * oversized body): the same translated page as the error boundary's, in a minimal document.
 */
export function renderStatusDocument(status: 400 | 403 | 413, locale: Locale): string {
  const assets = assetUrls();
  return `<!DOCTYPE html>${renderToStaticMarkup(
    <DocumentProvider
      locale={locale}
      timeZone="UTC"
      production
      assets={{
        css: assets['app.css'],
        js: assets['app.js'],
        htmx: assets['htmx.js'],
        htmxSse: assets['htmx-sse.js'],
      }}
    >
      <StatusDocument status={status} css={assets['app.css']} />
    </DocumentProvider>,
  )}`;
}
