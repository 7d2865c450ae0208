import type express from 'express';
import { getReader } from '~/modules/accounts/reader.server';
import '~/modules/registry.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { badRequest, notFound } from '../http-errors.server';
import { getLogger } from '../logger.server';
import {
  authorizeTopics,
  openLiveStream,
  sseHeaders,
  type SseConnection,
} from '../live/stream.server';
import { viewerOf } from '../live/topics.server';
import type { RequestState } from '../load-context';

const MAX_TOPICS = 10;

/**
 * GET /w/:slug/live, a page's live updates (htmx's SSE extension connects here), served by
 * Express ahead of Remix: a stream stays open for hours, and through Remix each one kept a
 * Request, a Response and a web ReadableStream alive, and every event became a write of its
 * own with no regard for a slow reader (decision 012). The checks are a loader's: signed in,
 * a member, and every topic asked for exists and is open to them, or nothing streams.
 */
export function liveEndpoint(
  contextOf: (request: express.Request, response: express.Response) => RequestState,
): express.RequestHandler {
  return (request, response) => {
    serve(request, response, contextOf(request, response)).catch((thrown: unknown) => {
      if (thrown instanceof Response) {
        // A refusal or a redirect (to sign in): EventSource reads only the status.
        const location = thrown.headers.get('Location');
        if (location) response.setHeader('Location', location);
        return response.status(thrown.status).end();
      }
      // The database gone away, say: the browser retries, and its next stream catches up.
      getLogger().error({ err: thrown, path: request.path }, 'a live stream failed');
      if (response.headersSent) response.destroy();
      else response.status(503).setHeader('Retry-After', '5').end();
    });
  };
}

async function serve(request: express.Request, response: express.Response, context: RequestState) {
  const url = new URL(request.originalUrl, `${request.protocol}://${request.get('host')}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers))
    if (typeof value === 'string') headers.set(name, value);
  // Made for the checks and let go once they are done: the stream keeps only its viewer.
  const asked = new Request(url, { headers });
  const reader = await getReader(asked, context);
  const member = await requireMember(asked, context, { slug: request.params.slug });
  const topics = [...new Set(url.searchParams.getAll('topic'))];
  if (topics.length === 0 || topics.length > MAX_TOPICS) throw badRequest();
  const viewer = viewerOf(member, reader);
  if (!(await authorizeTopics(viewer, topics))) throw notFound();
  if (response.destroyed) return;
  response.writeHead(200, sseHeaders);
  await openLiveStream({
    viewer,
    topics,
    lastEventId: request.get('last-event-id') ?? url.searchParams.get('lastEventId'),
    connection: connectionOf(response),
  });
}

function connectionOf(response: express.Response): SseConnection {
  return {
    write: (bytes) => void response.write(bytes),
    backlog: () => response.writableLength,
    end: () => response.end(),
    drop: () => response.destroy(),
    onClose: (listener) => {
      if (response.closed) listener();
      else response.once('close', listener);
    },
  };
}
