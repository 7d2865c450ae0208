import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { getReader } from '~/modules/accounts/reader.server';
import { conversationPath, MessageItem, TIMELINE_CLASS } from '~/modules/chat/components';
import { findConversation } from '~/modules/chat/conversations.server';
import { loadTimeline } from '~/modules/chat/messages.server';
import { timelineSchema } from '~/modules/chat/schema';
import { requireMember } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { withWorkspace } from '~/platform/db/database.server';
import { fragmentResponse, renderFragment } from '~/platform/fragment.server';
import { getT } from '~/platform/i18n/i18n';
import { notFound, uuidParam } from '~/platform/http-errors.server';

/**
 * "Older messages" with htmx: the previous page goes at the top of the log (the browser's
 * scroll anchoring keeps the reader where they were) and the link moves on. Without htmx
 * the link is the conversation's page `?before=`, which this address also redirects to.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const conversationId = uuidParam(params.conversationId);
  const url = new URL(request.url);
  const { before } = timelineSchema.parse(Object.fromEntries(url.searchParams));
  const base = conversationPath(member.workspace.slug, conversationId);
  if (request.headers.get('HX-Request') !== 'true' || !before)
    throw redirect(before ? `${base}?before=${before}` : base);
  const reader = await getReader(request, context);
  const timeline = await withWorkspace(member.ctx, async (trx) => {
    if (!(await findConversation(trx, member, conversationId))) throw notFound();
    return loadTimeline(trx, conversationId, { before });
  });
  const t = getT(reader.locale);
  const messageReader = { userId: member.user.id, isAdmin: roleAtLeast(member.role, 'admin') };
  const slug = member.workspace.slug;
  return fragmentResponse(
    renderFragment(
      reader,
      <>
        {timeline.olderBefore ? (
          <p>
            <a
              href={`${base}?before=${timeline.olderBefore}`}
              hx-get={`${base}/older?before=${timeline.olderBefore}`}
              hx-target="closest p"
              hx-swap="outerHTML"
            >
              {t('chat:timeline.older')}
            </a>
          </p>
        ) : null}
        <div hx-swap-oob={`afterbegin:.${TIMELINE_CLASS}`}>
          {timeline.messages.map((message) => (
            <MessageItem key={message.id} message={message} reader={messageReader} slug={slug} />
          ))}
        </div>
      </>,
    ),
  );
}
