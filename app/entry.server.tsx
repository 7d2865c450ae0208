import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node';
import { isRouteErrorResponse, RemixServer } from '@remix-run/react';
import { renderToString } from 'react-dom/server';
import { assetUrls } from '~/platform/assets.server';
import { DocumentProvider } from '~/platform/document-context';
import { getEnv } from '~/platform/env.server';
import { getLogger } from '~/platform/logger.server';

/**
 * Pages are rendered to a string: no Suspense, no streaming, no client scripts. The browser
 * gets HTML plus the assets named in the document's <head>.
 */
export default function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  remixContext: EntryContext,
  context: AppLoadContext,
) {
  const assets = assetUrls();
  const markup = renderToString(
    <DocumentProvider
      locale={context.locale}
      timeZone={context.timeZone}
      production={getEnv().isProduction}
      assets={{
        css: assets['app.css'],
        js: assets['app.js'],
        htmx: assets['htmx.js'],
        htmxSse: assets['htmx-sse.js'],
      }}
    >
      <RemixServer context={remixContext} url={request.url} />
    </DocumentProvider>,
  );
  headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.set('Content-Language', context.locale);
  // The page depends on who is signed in and their language.
  headers.append('Vary', 'Cookie, Accept-Language, HX-Request');
  return new Response(`<!DOCTYPE html>${markup}`, { status, headers });
}

/** Unexpected errors are logged with the request id; the user sees the translated 500 page. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (error instanceof Response) return;
  // Remix's own 4xx answers (a POST to a page without an action, an unknown route) are the
  // client's mistake, not ours: worth a line, not an alarm.
  if (isRouteErrorResponse(error) && error.status < 500) {
    getLogger().warn({ status: error.status, url: request.url, method: request.method }, 'refused');
    return;
  }
  getLogger().error({ err: error, url: request.url, method: request.method }, 'unhandled error');
};

export { runCli } from '~/platform/cli.server';
