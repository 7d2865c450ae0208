import { matchRoutes, type AgnosticRouteObject } from '@remix-run/router';
import type { ServerBuild } from '@remix-run/node';

type RouteNode = AgnosticRouteObject & { id: string; children?: RouteNode[] };

/**
 * Names a request by the Remix route that answers it ("routes/w.$slug.admin.members"), for the
 * request-duration metric: bounded label values, unlike raw paths.
 */
export function createRouteLabeler(build: ServerBuild): (pathname: string) => string {
  const nodes = new Map<string, RouteNode>();
  for (const route of Object.values(build.routes)) {
    if (!route) continue;
    nodes.set(route.id, {
      id: route.id,
      path: route.path,
      index: route.index,
      caseSensitive: route.caseSensitive,
    } as RouteNode);
  }
  const roots: RouteNode[] = [];
  for (const route of Object.values(build.routes)) {
    if (!route) continue;
    const node = nodes.get(route.id)!;
    const parent = route.parentId ? nodes.get(route.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  // Matching is the costly part (React Router flattens and compiles every route on each call):
  // remember the answer for recent paths.
  const cache = new Map<string, string>();
  return (pathname) => {
    const known = cache.get(pathname);
    if (known) return known;
    let label: string;
    try {
      decodeURIComponent(pathname);
      label = matchRoutes(roots, pathname)?.at(-1)?.route.id ?? 'unmatched';
    } catch {
      label = 'malformed';
    }
    if (cache.size >= 2000) cache.delete(cache.keys().next().value!);
    cache.set(pathname, label);
    return label;
  };
}
