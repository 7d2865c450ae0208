import { data, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Outlet, useMatches, useParams, useRouteLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { getReader } from '~/modules/accounts/reader.server';
import { getCurrentSession } from '~/modules/accounts/session.server';
import { listMyWorkspaces } from '~/modules/workspaces/queries.server';
import { useDocument } from '~/platform/document-context';
import { readFlash, type Flash } from '~/platform/flash.server';
import { liveTopics, pageTitle } from '~/platform/page-title';
import { GeneralErrorBoundary } from '~/ui/error-boundary';
import { FlashMessage } from '~/ui/flash-message';
import { SiteFooter, SiteHeader } from '~/ui/site-chrome';
import type { WorkspaceLayoutData } from './routes/w.$slug';

/**
 * htmx, configured: no inline styles (CSP), no eval, no scripts from swapped HTML, no page
 * snapshots in localStorage (they would outlive a sign-out), and 4xx/5xx pages swapped in like
 * any page, so a failed form (422) shows its errors with JavaScript on too.
 */
const htmxConfig = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  selfRequestsOnly: true,
  attributesToSettle: ['class', 'width', 'height'],
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '422', swap: true },
    { code: '[45]..', swap: true, error: true },
  ],
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [session, reader] = await Promise.all([
    getCurrentSession(request, context),
    getReader(request, context),
  ]);
  // entry.server renders the document (error pages too) in these; set them for it.
  context.locale = reader.locale;
  context.timeZone = reader.timeZone;
  const [{ flash, clearHeader }, workspaces] = await Promise.all([
    readFlash(request),
    session ? listMyWorkspaces(session) : [],
  ]);
  const headers = new Headers();
  if (clearHeader) headers.append('Set-Cookie', clearHeader);
  if (session?.refreshedCookie) headers.append('Set-Cookie', session.refreshedCookie);
  return data(
    {
      user: session ? { name: session.user.name, email: session.user.email } : null,
      workspaces,
      flash: flash as Flash | null,
    },
    { headers },
  );
}

/**
 * Every error bubbles to this route's boundary, so this is where a thrown response's own
 * headers reach the page: Retry-After on a 429 or a 503.
 */
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const headers = new Headers();
  const retryAfter = errorHeaders?.get('Retry-After');
  if (retryAfter) headers.set('Retry-After', retryAfter);
  return headers;
};

export type RootData = Awaited<ReturnType<typeof loader>>['data'];

export function Layout({ children }: { children: ReactNode }) {
  const { locale, assets, t } = useDocument();
  const root = useRouteLoaderData<typeof loader>('root');
  const matches = useMatches();
  const { slug } = useParams();
  const workspace = useRouteLoaderData<WorkspaceLayoutData>('routes/w.$slug');
  const brandColor = workspace?.workspace.brandColor;
  return (
    <html lang={locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={htmxConfig} />
        <title>{pageTitle(matches, t)}</title>
        <link rel="stylesheet" href={assets.css} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <script src={assets.htmx} defer />
        <script src={assets.htmxSse} defer />
        <script src={assets.js} defer />
      </head>
      <body hx-boost="true">
        {/* In <body> (where a stylesheet link is allowed) so that htmx's body swap replaces it
            when the reader moves to another workspace or out of one. */}
        {brandColor && slug ? (
          <link rel="stylesheet" href={`/w/${slug}/brand.css?v=${brandColor.slice(1)}`} />
        ) : null}
        <a className="skip-link" href="#main">
          {t('skipLink')}
        </a>
        <LiveStream slug={slug} topics={liveTopics(matches)} since={workspace?.liveSince}>
          <SiteHeader
            user={root?.user ?? null}
            workspaces={root?.workspaces ?? []}
            currentSlug={slug}
          />
          <main id="main" tabIndex={-1}>
            {root?.flash ? <FlashMessage flash={root.flash} /> : null}
            {children}
          </main>
        </LiveStream>
        <SiteFooter />
      </body>
    </html>
  );
}

/**
 * With JavaScript, the page's one SSE connection (htmx's extension): the header's count and the
 * page's own sections listen on it with `sse-swap`. A boosted navigation replaces it, so each
 * page follows its own topics. `display: contents` keeps it out of the layout.
 */
function LiveStream({
  slug,
  topics,
  since,
  children,
}: {
  slug: string | undefined;
  topics: string[];
  since: string | undefined;
  children: ReactNode;
}) {
  if (!slug || topics.length === 0) return <>{children}</>;
  const query = new URLSearchParams(topics.map((topic) => ['topic', topic]));
  // The stream starts where the page's data was read; on reconnection the browser's own
  // Last-Event-ID header takes over.
  if (since) query.set('lastEventId', since);
  return (
    <div className="live-stream" hx-ext="sse" sse-connect={`/w/${slug}/live?${query.toString()}`}>
      {children}
    </div>
  );
}

export default function App() {
  return <Outlet />;
}

export const ErrorBoundary = GeneralErrorBoundary;
