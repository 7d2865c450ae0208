import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { conversationPath, messageElementId, messagePath } from '~/modules/chat/components';
import { findConversation } from '~/modules/chat/conversations.server';
import { searchMessages } from '~/modules/chat/search.server';
import { searchSchema } from '~/modules/chat/schema';
import { requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useFormat, useT } from '~/platform/document-context';
import { notFound } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('chat:search.title') };

/** Search my conversations (or one of them): Postgres full-text search, matches marked. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const parsed = searchSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const query = parsed.success ? parsed.data : {};
  return withWorkspace(member.ctx, async (trx) => {
    const conversation = query.in ? await findConversation(trx, member, query.in) : null;
    if (query.in && !conversation) throw notFound();
    const results = query.q
      ? await searchMessages(trx, member.user.id, query.q, conversation?.id)
      : [];
    return {
      slug: member.workspace.slug,
      q: query.q ?? '',
      conversation: conversation ? { id: conversation.id, title: conversation.title } : null,
      searched: Boolean(query.q),
      results,
    };
  });
}

export default function ChatSearch() {
  const t = useT();
  const format = useFormat();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={
          data.conversation
            ? t('chat:search.titleIn', { conversation: data.conversation.title })
            : t('chat:search.title')
        }
        actions={
          <a
            href={
              data.conversation
                ? conversationPath(data.slug, data.conversation.id)
                : `/w/${data.slug}/chat`
            }
          >
            {data.conversation ? t('chat:thread.back') : t('chat:list.title')}
          </a>
        }
      />
      <form method="get" role="search" className="inline-form">
        {data.conversation ? <input type="hidden" name="in" value={data.conversation.id} /> : null}
        <label htmlFor="chat-search-q">{t('chat:search.label')}</label>{' '}
        <input id="chat-search-q" name="q" type="search" defaultValue={data.q} />{' '}
        <Button variant="secondary">{t('chat:search.submit')}</Button>
      </form>
      {data.searched ? (
        <>
          <p role="status">{t('chat:search.count', { count: data.results.length })}</p>
          <ol className="search-results">
            {data.results.map((result) => {
              const href = result.parentId
                ? `${messagePath(data.slug, result.conversationId, result.parentId)}#${messageElementId(result.id)}`
                : `${conversationPath(data.slug, result.conversationId)}?at=${result.seq}#${messageElementId(result.id)}`;
              return (
                <li key={result.id}>
                  <p>
                    <a href={href}>
                      {result.conversationTitle} · {result.authorName ?? t('common:deletedUser')}
                    </a>{' '}
                    <span className="muted">{format.date(result.createdAt, 'dateTime')}</span>
                  </p>
                  <p>
                    {result.excerpt.map((part, index) =>
                      part.match ? (
                        <mark key={index}>{part.text}</mark>
                      ) : (
                        <span key={index}>{part.text}</span>
                      ),
                    )}
                  </p>
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
    </>
  );
}
