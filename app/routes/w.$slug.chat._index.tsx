import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { conversationPath, ConversationList, PresenceBadge } from '~/modules/chat/components';
import {
  listConversations,
  listWorkspacePeople,
  openDirectConversation,
  UNREAD_CAP,
} from '~/modules/chat/conversations.server';
import { chatEvents, chatListTopic } from '~/modules/chat/live.server';
import { chatPolicy } from '~/modules/chat/policy';
import { myPresence, presenceState, setDoNotDisturb } from '~/modules/chat/presence.server';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { readForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { EmptyState } from '~/ui/empty-state';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = {
  title: (t) => t('chat:list.title'),
  liveTopics: (data: { workspaceId: string }) => [chatListTopic(data.workspaceId)],
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  return withWorkspace(member.ctx, async (trx) => {
    const [conversations, people, presence] = await Promise.all([
      listConversations(trx, member),
      chatPolicy.startConversation(member) ? listWorkspacePeople(trx) : [],
      myPresence(trx, member.user.id),
    ]);
    return {
      slug: member.workspace.slug,
      workspaceId: member.workspace.id,
      me: member.user.id,
      conversations,
      canStart: chatPolicy.startConversation(member),
      people: people
        .filter((person) => person.id !== member.user.id)
        .map((person) => ({ id: person.id, name: person.name ?? person.email ?? '' })),
      doNotDisturb: presence?.doNotDisturb ?? false,
      myState: presenceState({
        onlineUntil: presence?.onlineUntil ?? null,
        lastSeenAt: presence?.lastSeenAt ?? null,
        doNotDisturb: presence?.doNotDisturb ?? false,
      }),
    };
  });
}

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('direct'), userId: z.uuid() }),
  z.object({ intent: z.literal('do-not-disturb'), on: z.enum(['1', '0']) }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const parsed = actionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw badRequest();
  const slug = member.workspace.slug;
  if (parsed.data.intent === 'direct') {
    assertAllowed(chatPolicy.startConversation(member));
    const { userId } = parsed.data;
    const id = await withWorkspace(member.ctx, (trx) =>
      openDirectConversation(trx, member, userId),
    );
    return redirect(conversationPath(slug, id), 303);
  }
  const on = parsed.data.on === '1';
  await setDoNotDisturb(member.workspace.id, member.user.id, on);
  return redirectWithFlash(`/w/${slug}/chat`, {
    kind: 'success',
    key: on ? 'chat:presence.dndOn' : 'chat:presence.dndOff',
  });
}

export default function ChatList() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const base = `/w/${data.slug}/chat`;
  return (
    <>
      <PageHeader
        title={t('chat:list.title')}
        actions={
          data.canStart ? (
            <a className="button" href={`${base}/new`}>
              {t('chat:group.new')}
            </a>
          ) : null
        }
      />
      <div className="chat-tools">
        <form method="get" action={`${base}/search`} role="search" className="inline-form">
          <label htmlFor="chat-search">{t('chat:search.label')}</label>{' '}
          <input id="chat-search" name="q" type="search" />{' '}
          <Button variant="secondary">{t('chat:search.submit')}</Button>
        </form>
        {data.canStart && data.people.length ? (
          <form method="post" className="inline-form">
            <input type="hidden" name="intent" value="direct" />
            <label htmlFor="direct-person">{t('chat:direct.label')}</label>{' '}
            <select id="direct-person" name="userId">
              {data.people.map((person) => (
                <option key={person.id} value={person.id}>
                  {person.name}
                </option>
              ))}
            </select>{' '}
            <Button variant="secondary">{t('chat:direct.open')}</Button>
          </form>
        ) : null}
        <form method="post" className="inline-form">
          <input type="hidden" name="intent" value="do-not-disturb" />
          <input type="hidden" name="on" value={data.doNotDisturb ? '0' : '1'} />
          {t('chat:presence.you')} <PresenceBadge userId={data.me} state={data.myState} />{' '}
          <Button variant="secondary" aria-pressed={data.doNotDisturb}>
            {t('chat:presence.toggleDnd')}
          </Button>
        </form>
      </div>
      <div sse-swap={chatEvents.presence} hx-swap="none" hidden />
      {data.conversations.length === 0 ? (
        <EmptyState title={t('chat:list.empty')} />
      ) : (
        <ConversationList slug={data.slug} conversations={data.conversations} cap={UNREAD_CAP} />
      )}
    </>
  );
}
