import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import {
  Composer,
  conversationPath,
  MessageItem,
  MessageLog,
  messageElementId,
  messagePath,
  repliesId,
  TypingNotice,
} from '~/modules/chat/components';
import { conversationTopic } from '~/modules/chat/conversations.server';
import { chatEvents } from '~/modules/chat/live.server';
import { requireMessage } from '~/modules/chat/message-context.server';
import { listEdits, loadThread } from '~/modules/chat/messages.server';
import { chatPolicy } from '~/modules/chat/policy';
import { receiveMessage } from '~/modules/chat/post-form.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { withWorkspace } from '~/platform/db/database.server';
import { useFormat, useT } from '~/platform/document-context';
import { notFound, uuidParam } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import type { FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = {
  title: (t, data: { conversation: { title: string } }) =>
    t('chat:thread.title', { conversation: data.conversation.title }),
  liveTopics: (data: { conversation: { id: string } }) => [conversationTopic(data.conversation.id)],
};

/** A message on its own page, with its thread of replies and a box to reply. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  return withWorkspace(member.ctx, async (trx) => {
    const { conversation, message } = await requireMessage(trx, member, params);
    // A reply's own address shows its thread, at the reply.
    if (message.parentId)
      throw redirect(
        `${messagePath(member.workspace.slug, conversation.id, message.parentId)}#${messageElementId(message.id)}`,
      );
    const thread = await loadThread(trx, conversation.id, message.id);
    if (!thread) throw notFound();
    const seeEdits = chatPolicy.seeEdits(member) && message.editedAt !== null;
    return {
      slug: member.workspace.slug,
      reader: { userId: member.user.id, isAdmin: roleAtLeast(member.role, 'admin') },
      conversation: { id: conversation.id, title: conversation.title },
      thread,
      edits: seeEdits
        ? (await listEdits(trx, message.id)).map((edit) => ({
            ...edit,
            replacedAt: edit.replacedAt.toISOString(),
          }))
        : [],
    };
  });
}

/** Without JavaScript: the reply is posted and the thread comes back at it. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const conversationId = uuidParam(params.conversationId);
  const parentId = uuidParam(params.messageId);
  const outcome = await receiveMessage(request, member, conversationId, { parentId });
  if (!outcome.ok) return outcome.reply;
  return redirect(
    `${messagePath(member.workspace.slug, conversationId, parentId)}#${messageElementId(outcome.message.id)}`,
    303,
  );
}

export default function ThreadPage() {
  const t = useT();
  const format = useFormat();
  const data = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const { thread, slug, conversation } = data;
  return (
    <>
      <PageHeader
        title={t('chat:thread.title', { conversation: conversation.title })}
        actions={<a href={conversationPath(slug, conversation.id)}>{t('chat:thread.back')}</a>}
      />
      <div sse-swap={`${chatEvents.message},${chatEvents.typing}`} hx-swap="none" hidden />
      <MessageLog label={t('chat:thread.message')}>
        <MessageItem message={thread.root} reader={data.reader} slug={slug} inThread />
      </MessageLog>
      <h2>{t('chat:thread.replies', { count: thread.replies.length })}</h2>
      <MessageLog id={repliesId(thread.root.id)} label={t('chat:thread.repliesLabel')}>
        {thread.replies.map((reply) => (
          <MessageItem key={reply.id} message={reply} reader={data.reader} slug={slug} inThread />
        ))}
      </MessageLog>
      {thread.root.deletedAt ? null : (
        <>
          <TypingNotice names={[]} />
          <Composer
            slug={slug}
            conversationId={conversation.id}
            parentId={thread.root.id}
            result={result}
          />
        </>
      )}
      {data.edits.length ? (
        <section aria-labelledby="edits-title">
          <h2 id="edits-title">{t('chat:edits.title')}</h2>
          <ol className="edits">
            {data.edits.map((edit) => (
              <li key={edit.id}>
                <p className="muted">
                  {t('chat:edits.replaced', {
                    at: format.date(edit.replacedAt, 'dateTime'),
                    name: edit.name ?? t('common:deletedUser'),
                  })}
                </p>
                <pre className="edit-body">{edit.body}</pre>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
