import { statusMessageOf, toKnownStatus, type StatusMessage } from '~/ui/status-page';
import type { Locale } from '../i18n/locales';
import { renderStatusDocument } from './status-document.server';

/**
 * Resource routes (downloads, file links) have no error boundary: Remix would send their
 * thrown refusals as empty bodies. Here they become the same translated pages as elsewhere.
 */
export async function withStatusPages(
  locale: Locale,
  respond: () => Promise<Response>,
): Promise<Response> {
  try {
    return await respond();
  } catch (error) {
    if (!(error instanceof Response) || error.status < 400) throw error;
    const message = await refusalOf(error);
    const headers = new Headers({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    const retryAfter = error.headers.get('Retry-After');
    if (retryAfter) headers.set('Retry-After', retryAfter);
    return new Response(renderStatusDocument(toKnownStatus(error.status), locale, message), {
      status: error.status,
      headers,
    });
  }
}

/** What a thrown refusal says in its body (http-errors.server.ts `refusal`), if anything. */
export async function refusalOf(error: Response): Promise<StatusMessage | undefined> {
  const body = await error.text();
  return statusMessageOf(body ? safeJson(body) : null);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
