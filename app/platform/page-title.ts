import type { UIMatch } from '@remix-run/react';
import type { T } from './i18n/i18n';

/**
 * Routes name their page in `handle.title(t, data)`; the document's <title> is the deepest
 * route's title, then "Workroom". Translated, unlike Remix's meta export, which has no `t`.
 * A route whose loader did not run (an error page) has no data and no title.
 */
export type RouteHandle = {
  title?: (t: T, data: never) => string;
  /** The live topics the page follows (see app/platform/live): joined into the page's one stream. */
  liveTopics?: (data: never) => string[];
};

/**
 * Every topic the page's routes follow, for its single SSE connection: one stream per tab
 * whatever the page shows (browsers allow six connections per host over HTTP/1.1).
 */
export function liveTopics(matches: UIMatch[]): string[] {
  return matches.flatMap((match) => {
    const handle = match.handle as RouteHandle | undefined;
    return handle?.liveTopics && match.data != null ? handle.liveTopics(match.data as never) : [];
  });
}

export function pageTitle(matches: UIMatch[], t: T, fallback?: string): string {
  for (let index = matches.length - 1; index >= 0; index--) {
    const match = matches[index]!;
    const handle = match.handle as RouteHandle | undefined;
    if (handle?.title && match.data != null)
      return `${handle.title(t, match.data as never)} · Workroom`;
  }
  return fallback ? `${fallback} · Workroom` : 'Workroom';
}
