import { getReader } from '~/modules/accounts/reader.server';
import '~/modules/registry.server';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireMember } from '~/modules/workspaces/queries.server';
import { badRequest, notFound } from '~/platform/http-errors.server';
import { authorizeTopics, openLiveStream } from '~/platform/live/stream.server';
import { viewerOf } from '~/platform/live/topics.server';

const MAX_TOPICS = 10;

/**
 * The page's live updates (htmx's SSE extension connects here): every topic asked for must
 * exist and be open to this member, or nothing streams.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  const url = new URL(request.url);
  const topics = [...new Set(url.searchParams.getAll('topic'))];
  if (topics.length === 0 || topics.length > MAX_TOPICS) throw badRequest();
  const viewer = viewerOf(member, reader);
  if (!(await authorizeTopics(viewer, topics))) throw notFound();
  const lastEventId = request.headers.get('Last-Event-ID') ?? url.searchParams.get('lastEventId');
  return openLiveStream({
    viewer,
    topics,
    lastEventId,
    signal: request.signal,
    connection: context.connection,
  });
}
