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
  return (pathname) => {
    try {
      decodeURIComponent(pathname);
    } catch {
      return 'malformed';
    }
    const matches = matchRoutes(roots, pathname);
    return matches?.at(-1)?.route.id ?? 'unmatched';
  };
}
