import { browserRequest, loadContext } from './factories';

/** What an action or loader answered, thrown or returned: a status, a body, and the Response if any. */
export async function outcome(
  run: () => Promise<unknown>,
): Promise<{ status: number; body: unknown; response: Response | null }> {
  try {
    const value = (await run()) as Response | { data?: unknown; init?: { status?: number } | null };
    if (value instanceof Response) return { status: value.status, body: null, response: value };
    return { status: value?.init?.status ?? 200, body: value?.data ?? value, response: null };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, body: null, response: thrown };
    throw thrown;
  }
}

type Route = {
  action?: (args: never) => Promise<unknown>;
  loader?: (args: never) => Promise<unknown>;
};

/** A form posted to a route's action by a signed-in browser (repeated fields as [name, value] pairs). */
export const postForm = (
  route: Route,
  url: string,
  cookie: string,
  fields: Record<string, string> | Array<[string, string]>,
  params: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  outcome(() =>
    route.action!({
      request: browserRequest(url, cookie, {
        method: 'POST',
        body: new URLSearchParams(fields),
        headers,
      }),
      context: loadContext(),
      params,
    } as never),
  );

/** A page's loader, as a signed-in browser asks for it. */
export const getPage = (
  route: Route,
  url: string,
  cookie: string,
  params: Record<string, string>,
) =>
  outcome(() =>
    route.loader!({
      request: browserRequest(url, cookie),
      context: loadContext(),
      params,
    } as never),
  );
