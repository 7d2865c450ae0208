import type { Readable } from 'node:stream';
import { redirect } from '@remix-run/node';
import { httpError } from '~/platform/http-errors.server';
import { getLogger } from '~/platform/logger.server';
import { isStoreError, type ByteRange } from '~/platform/storage/file-store.server';
import { getFileStore } from '~/platform/storage/store.server';
import { imageTypes, isActiveContent } from './detect-type.server';
import { contentDisposition } from './file-names';

/** How long a Supabase download URL handed to the browser lasts: long enough to follow it. */
export const REDIRECT_URL_SECONDS = 60;

type Downloadable = {
  storeKey: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string | null;
};

/**
 * Headers that keep a downloaded file from acting as a page of ours: no sniffing a type, and a
 * sandbox without scripts or same-origin access should a browser render it anyway. no-transform
 * keeps the compression middleware away from bytes that Range and Content-Length describe.
 */
function safetyHeaders(): Headers {
  return new Headers({
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'",
    'Cache-Control': 'private, no-cache, no-transform',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
}

/**
 * A stored file as an HTTP response. On the local store: streamed with its name, ETag (its
 * SHA-256; If-None-Match answers 304) and single-range requests (206, or 416 outside the file),
 * so a phone on a bad connection can resume. On Supabase: a redirect to a signed URL that lasts
 * a minute, so the bytes never pass through our one container.
 * Raster images may be shown in the page (`inline`); anything else, SVG and HTML above all,
 * is always an attachment.
 */
export async function fileResponse(
  request: Request,
  file: Downloadable,
  options: { inline?: boolean; clientReady?: () => Promise<boolean> } = {},
): Promise<Response> {
  const store = getFileStore();
  const disposition =
    options.inline && imageTypes.has(file.contentType) && !isActiveContent(file.contentType)
      ? 'inline'
      : 'attachment';
  if (store.name === 'supabase') {
    const url = await withStoreErrors(() =>
      store.signedUrl(file.storeKey, {
        expiresInSeconds: REDIRECT_URL_SECONDS,
        downloadName: file.name,
      }),
    );
    return redirect(url, { status: 302, headers: { 'Cache-Control': 'no-store' } });
  }

  const headers = safetyHeaders();
  headers.set('Content-Disposition', contentDisposition(file.name, disposition));
  headers.set('Accept-Ranges', 'bytes');
  const etag = file.sha256 ? `"${file.sha256}"` : null;
  if (etag) {
    headers.set('ETag', etag);
    if (matches(request.headers.get('If-None-Match'), etag))
      return new Response(null, { status: 304, headers });
  }
  headers.set('Content-Type', contentTypeHeader(file.contentType));

  const wanted = requestedRange(request, file.sizeBytes, etag);
  if (wanted === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${file.sizeBytes}`);
    return new Response(null, { status: 416, headers });
  }
  if (wanted) {
    headers.set('Content-Range', `bytes ${wanted.start}-${wanted.end}/${file.sizeBytes}`);
    headers.set('Content-Length', String(wanted.end - wanted.start + 1));
  } else {
    headers.set('Content-Length', String(file.sizeBytes));
  }
  const status = wanted ? 206 : 200;
  // HEAD gets the headers only: Remix would drop the body unread and leave the file open.
  if (request.method === 'HEAD') return new Response(null, { status, headers });
  const stream = await withStoreErrors(() => store.get(file.storeKey, wanted ?? undefined));
  return new Response(pacedBody(stream, options.clientReady), { status, headers });
}

/**
 * The file's bytes as a web stream that reads the next chunk only when the client's connection
 * can take it, and stops reading (closing the file) when the client goes away.
 */
function pacedBody(
  source: Readable,
  clientReady: (() => Promise<boolean>) | undefined,
): ReadableStream<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (clientReady && !(await clientReady())) {
          source.destroy();
          controller.close();
          return;
        }
        const next = await chunks.next();
        if (next.done) controller.close();
        // A view of the chunk, not a copy: downloads are CPU-bound on a small machine.
        else
          controller.enqueue(
            new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength),
          );
      },
      cancel() {
        source.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Text is UTF-8 (we only called it text if it was); the type itself is what the bytes showed. */
function contentTypeHeader(contentType: string): string {
  if (isActiveContent(contentType)) return 'application/octet-stream';
  return contentType.startsWith('text/') ? `${contentType}; charset=utf-8` : contentType;
}

function matches(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === etag || tag === '*';
  });
}

/**
 * The one byte range asked for (RFC 9110 §14): `bytes=start-end`, `bytes=start-` or
 * `bytes=-suffix`. Several ranges, a malformed header or a stale If-Range get the whole file.
 */
export function requestedRange(
  request: Request,
  size: number,
  etag: string | null,
): ByteRange | null | 'unsatisfiable' {
  const header = request.headers.get('Range');
  if (!header) return null;
  const ifRange = request.headers.get('If-Range');
  if (ifRange && ifRange !== etag) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (end < start && match[2] !== '') return null;
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/**
 * The store's failures as the user should see them: a missing object is a 404 (and a line for
 * the operator, since the row says it exists), anything else the store's trouble, 503.
 */
export async function withStoreErrors<T>(act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (error) {
    if (isStoreError(error, 'not_found')) {
      getLogger().error({ err: error }, 'a file row points to a missing object');
      throw httpError(404);
    }
    if (isStoreError(error)) {
      getLogger().error({ err: error }, 'the file store failed during a download');
      throw httpError(503, undefined, { 'Retry-After': '5' });
    }
    throw error;
  }
}

/**
 * An image shown in our pages (a thumbnail, the workspace logo), streamed by us from either
 * store: the page's CSP allows images from our origin only, they are small, and they never
 * change under one URL, so the browser keeps them a day and revalidates with the ETag.
 * Only raster types we produced or checked come here.
 */
export async function imageResponse(
  request: Request,
  image: { key: string; contentType: string; etag: string },
  clientReady?: () => Promise<boolean>,
): Promise<Response> {
  const headers = safetyHeaders();
  const etag = `"${image.etag}"`;
  headers.set('ETag', etag);
  headers.set('Cache-Control', 'private, max-age=86400, no-transform');
  if (matches(request.headers.get('If-None-Match'), etag))
    return new Response(null, { status: 304, headers });
  headers.set('Content-Type', image.contentType);
  headers.set('Content-Disposition', 'inline');
  if (request.method === 'HEAD') return new Response(null, { headers });
  const stream = await withStoreErrors(() => getFileStore().get(image.key));
  return new Response(pacedBody(stream, clientReady), { headers });
}
