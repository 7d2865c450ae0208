import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { getReader } from '~/modules/accounts/reader.server';
import {
  Composer,
  conversationPath,
  MessageItem,
  MessageLog,
  messageElementId,
  ConversationPeople,
  TIMELINE_ID,
  TypingNotice,
  UnreadDivider,
} from '~/modules/chat/components';
import {
  conversationTopic,
  countUnreadMessages,
  findConversation,
  listConversationMembers,
  markRead,
} from '~/modules/chat/conversations.server';
import { chatEvents } from '~/modules/chat/live.server';
import { findMessage, firstUnread, loadTimeline } from '~/modules/chat/messages.server';
import { chatPolicy } from '~/modules/chat/policy';
import { receiveMessage } from '~/modules/chat/post-form.server';
import { peopleWithPresence, presenceTopic } from '~/modules/chat/presence.server';
import { timelineSchema } from '~/modules/chat/schema';
import { requireMember } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { isUuid, notFound, uuidParam } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import type { FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = {
  title: (_t, data: { conversation: { title: string } }) => data.conversation.title,
  // Only the newest page grows with new messages; an older page is history.
  liveTopics: (data: LoaderData) =>
    data.live
      ? [conversationTopic(data.conversation.id), presenceTopic(data.workspaceId)]
      : [presenceTopic(data.workspaceId)],
};

/** A quote-reply starts the message with the quoted one's text as a markdown quote. */
const quoted = (author: string, body: string) =>
  `> **${author}:** ${body.split('\n').join('\n> ')}\n\n`;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  const conversationId = uuidParam(params.conversationId);
  const url = new URL(request.url);
  const page = timelineSchema.parse(Object.fromEntries(url.searchParams));
  const quoteId = url.searchParams.get('quote');
  return withWorkspace(member.ctx, async (trx) => {
    const conversation = await findConversation(trx, member, conversationId);
    if (!conversation) throw notFound();
    const unreadFrom = await firstUnread(trx, member, conversation);
    const timeline = await loadTimeline(trx, conversation.id, page);
    const live = !timeline.hasNewer;
    const members = await listConversationMembers(trx, conversation.id);
    // Viewing the newest messages reads them; the header's count, which the workspace layout
    // takes beside this loader, is then given as it is after that.
    const marked = live && (await markRead(trx, member, conversation));
    const headerChatUnread = marked ? await countUnreadMessages(trx, member.user.id) : undefined;
    const quote =
      quoteId && isUuid(quoteId) ? await findMessage(trx, conversation.id, quoteId) : null;
    const quoteAuthor = quote && members.find((person) => person.id === quote.authorId);
    return {
      slug: member.workspace.slug,
      workspaceId: member.workspace.id,
      reader: { userId: member.user.id, isAdmin: roleAtLeast(member.role, 'admin') },
      conversation: {
        id: conversation.id,
        kind: conversation.kind,
        title: conversation.title,
        projectKey: conversation.projectKey,
        muted: conversation.muted,
        canManage: chatPolicy.manageGroup(member, conversation),
      },
      timeline,
      live,
      unreadFrom,
      unreadShown: unreadFrom !== null && timeline.messages.some((m) => m.seq === unreadFrom),
      members: peopleWithPresence(members),
      quote:
        quote && !quote.deletedAt
          ? quoted(quoteAuthor?.name ?? quoteAuthor?.email ?? '', quote.body)
          : undefined,
      timeZone: reader.timeZone,
      headerChatUnread,
    };
  });
}

type LoaderData = Awaited<ReturnType<typeof loader>>;

/** Without JavaScript: the message is posted and the page comes back at it, or with the errors. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const conversationId = uuidParam(params.conversationId);
  const outcome = await receiveMessage(request, member, conversationId);
  if (!outcome.ok) return outcome.reply;
  return redirect(
    `${conversationPath(member.workspace.slug, conversationId)}#${messageElementId(outcome.message.id)}`,
    303,
  );
}

export default function ConversationPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const { conversation, timeline, slug } = data;
  const base = conversationPath(slug, conversation.id);
  return (
    <>
      <PageHeader
        title={conversation.title}
        description={t(`chat:kinds.${conversation.kind}`)}
        actions={
          <span className="button-row">
            <a href={`${base}/members`}>{t('chat:members.link')}</a>
            <a href={`/w/${slug}/chat/search?in=${conversation.id}`}>
              {t('chat:search.inConversation')}
            </a>
            <a href={`/w/${slug}/chat`}>{t('chat:list.title')}</a>
          </span>
        }
      />
      <div className="chat-layout">
        <section className="chat-main" aria-label={t('chat:timeline.label')}>
          {data.unreadFrom !== null ? (
            <p>
              <a
                href={
                  data.unreadShown ? '#first-unread' : `${base}?at=${data.unreadFrom}#first-unread`
                }
              >
                {t('chat:timeline.jumpToUnread')}
              </a>
            </p>
          ) : null}
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
          {/* Live: new, changed and deleted messages arrive as out-of-band swaps. */}
          {data.live ? (
            <div
              sse-swap={`${chatEvents.message},${chatEvents.typing},${chatEvents.presence},${chatEvents.members}`}
              hx-swap="none"
              hidden
            />
          ) : null}
          {timeline.messages.length === 0 ? (
            <p className="muted">{t('chat:timeline.empty')}</p>
          ) : null}
          <MessageLog
            id={data.live ? TIMELINE_ID : undefined}
            label={t('chat:timeline.label')}
            timeline
          >
            {timeline.messages.flatMap((message) => [
              message.seq === data.unreadFrom ? <UnreadDivider key="divider" /> : null,
              <MessageItem key={message.id} message={message} reader={data.reader} slug={slug} />,
            ])}
          </MessageLog>
          {timeline.hasNewer ? (
            <p>
              <a href={base}>{t('chat:timeline.newest')}</a>
            </p>
          ) : (
            <>
              <TypingNotice names={[]} />
              <Composer
                slug={slug}
                conversationId={conversation.id}
                result={result}
                initialBody={data.quote}
              />
              <p className="muted">
                <a href={base}>{t('chat:timeline.refresh')}</a>
              </p>
              {/* With JavaScript: what arrives while the page is open is read too. */}
              <form
                method="post"
                action={`${base}/read`}
                hx-post={`${base}/read`}
                hx-trigger={`sse:${chatEvents.message} throttle:3s`}
                hx-swap="none"
                hidden
              />
            </>
          )}
        </section>
        <aside className="chat-aside" aria-labelledby="chat-members-title">
          <h2 id="chat-members-title">{t('chat:members.title')}</h2>
          <ConversationPeople members={data.members} />
        </aside>
      </div>
    </>
  );
}
