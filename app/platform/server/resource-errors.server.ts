import { statusMessageOf, toKnownStatus } from '~/ui/status-page';
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
    const body = await error.text();
    const message = statusMessageOf(body ? safeJson(body) : null);
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

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
