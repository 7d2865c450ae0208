import { renderToStaticMarkup } from 'react-dom/server';
import { StatusPage, type KnownStatus, type StatusMessage } from '~/ui/status-page';
import { assetUrls } from '../assets.server';
import { DocumentProvider, useT } from '../document-context';
import type { Locale } from '../i18n/locales';

function StatusDocument({
  status,
  css,
  message,
}: {
  status: KnownStatus;
  css: string;
  message?: StatusMessage;
}) {
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
          <StatusPage status={status} message={message} />
        </main>
      </body>
    </html>
  );
}

/**
 * For requests refused before Remix sees them (a forged cross-site post, a malformed URL, an
 * oversized body) and by resource routes (downloads), which have no error boundary: the same
 * translated page as the error boundary's, in a minimal document.
 */
export function renderStatusDocument(
  status: KnownStatus,
  locale: Locale,
  message?: StatusMessage,
): string {
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
      <StatusDocument status={status} css={assets['app.css']} message={message} />
    </DocumentProvider>,
  )}`;
}
