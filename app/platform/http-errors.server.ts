/**
 * Responses thrown from loaders, actions and the modules they call. Remix renders the
 * GeneralErrorBoundary with the status; the boundary picks the translated message.
 */
export function httpError(status: number, message?: string, headers?: HeadersInit): Response {
  return new Response(message ?? null, { status, headers });
}

/**
 * A refusal that says why: the error page shows this message (a translation key, with its
 * values) in place of the status's general one. "The file is larger than 25 MB", not "Too large".
 */
export function refusal(
  status: number,
  message: string,
  values: Record<string, string | number> = {},
  headers?: HeadersInit,
): Response {
  return Response.json({ message, values }, { status, headers });
}

export const badRequest = (message?: string) => httpError(400, message);
export const forbidden = (message?: string) => httpError(403, message);
export const notFound = (message?: string) => httpError(404, message);
export const serviceUnavailable = () => httpError(503, undefined, { 'Retry-After': '5' });

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** A URL's id segment: a malformed one is a 404 like any unknown id, never a database error. */
export function uuidParam(value: string | undefined): string {
  if (!value || !isUuid(value)) throw notFound();
  return value.toLowerCase();
}
