import type { ReactNode } from 'react';
import { sql } from 'kysely';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { withWorkspace, type Trx } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import { renderFragment } from '~/platform/fragment.server';
import {
  defineTopic,
  type Audience,
  type LiveEvent,
  type SseMessage,
  type Viewer,
} from '~/platform/live/topics.server';
import {
  AppendMessage,
  ChatUnreadCount,
  ConversationList,
  ConversationPeople,
  MessageItem,
  PresenceBadge,
  repliesId,
  TIMELINE_ID,
  TypingNotice,
  type MessageReader,
} from './components';
import {
  conversationTopic,
  countUnreadMessages,
  findConversation,
  listConversations,
  listConversationMembers,
  membersAmong,
  UNREAD_CAP,
} from './conversations.server';
import { changedSince, loadMessages, type MessageView } from './messages.server';
import {
  myPresence,
  offlineAt,
  peopleWithPresence,
  presenceChangedSince,
  presenceState,
} from './presence.server';
import { noteTyping, stopTyping, typistsFor } from './typing.server';

/** The SSE event names a conversation's page listens for (sse-swap). */
export const chatEvents = {
  message: 'message',
  typing: 'typing',
  presence: 'presence',
  inbox: 'inbox',
  members: 'members',
};

/** The list of conversations follows this topic too, so its rows are re-rendered with the count. */
export const chatListTopic = (workspaceId: string) => `chat-list:${workspaceId}`;

const readerOf = (viewer: Viewer): MessageReader => ({
  userId: viewer.userId,
  isAdmin: roleAtLeast(viewer.role as WorkspaceRole, 'admin'),
});

async function workspaceSlug(trx: Trx): Promise<string> {
  const row = await trx
    .selectFrom('workspaces')
    .select('slug')
    .where(sql<boolean>`id = app_workspace_id()`)
    .executeTakeFirstOrThrow();
  return row.slug;
}

/**
 * Renders once per distinct key, for every viewer: readers who see the same thing (language,
 * time zone, and what they may do) share one render.
 */
function renderPerView(
  audience: Audience[],
  keyOf: (viewer: Viewer) => string | null,
  render: (viewer: Viewer) => SseMessage | null,
): Array<SseMessage | null> {
  const rendered = new Map<string, SseMessage | null>();
  return audience.map(({ viewer }) => {
    const key = keyOf(viewer);
    if (key === null) return null;
    if (!rendered.has(key)) rendered.set(key, render(viewer));
    return rendered.get(key)!;
  });
}

/** How one message reads in the log, new (appended, deduplicated) or changed (replaced only). */
function messageSwap(
  message: MessageView,
  parent: MessageView | undefined,
  reader: MessageReader,
  slug: string,
  created: boolean,
): ReactNode {
  const item = (oob: boolean) => (
    <MessageItem
      message={message}
      reader={reader}
      slug={slug}
      inThread={message.parentId !== null}
      oob={oob}
    />
  );
  if (!created) return item(true);
  return (
    <>
      <AppendMessage into={message.parentId ? repliesId(message.parentId) : TIMELINE_ID}>
        {item(false)}
      </AppendMessage>
      {parent ? <MessageItem message={parent} reader={reader} slug={slug} oob /> : null}
    </>
  );
}

const reacted = (message: MessageView, userId: string) =>
  message.reactions
    .filter((reaction) => reaction.userIds.includes(userId))
    .map((reaction) => reaction.name)
    .join(',');

/**
 * Someone joined or left: the pages of those still in it show who is in it now; a page of
 * someone removed gets nothing (and nothing more of the conversation).
 */
async function membersFanOut(event: LiveEvent, audience: Audience[], conversationId: string) {
  const someone = audience[0]!.viewer;
  const stillIn = await withWorkspace({ userId: someone.userId, workspaceId: event.w }, (trx) =>
    membersAmong(trx, conversationId, [...new Set(audience.map((entry) => entry.viewer.userId))]),
  );
  const reader = audience.find((entry) => stillIn.has(entry.viewer.userId))?.viewer;
  if (!reader) return audience.map(() => null);
  const people = peopleWithPresence(
    await withWorkspace(reader, (trx) => listConversationMembers(trx, conversationId)),
  );
  return renderPerView(
    audience,
    (viewer) => (stillIn.has(viewer.userId) ? viewer.locale : null),
    (viewer) => ({
      event: chatEvents.members,
      data: renderFragment(viewer, <ConversationPeople members={people} oob />),
    }),
  );
}

async function messageFanOut(event: LiveEvent, audience: Audience[], conversationId: string) {
  const workspaceId = event.w;
  const someone = audience[0]!.viewer;
  const members = await withWorkspace({ userId: someone.userId, workspaceId }, (trx) =>
    membersAmong(trx, conversationId, [...new Set(audience.map((entry) => entry.viewer.userId))]),
  );
  const reader = audience.find((entry) => members.has(entry.viewer.userId))?.viewer;
  if (!reader) return audience.map(() => null);
  // Read once, as one of the members: every member sees the same rows.
  const loaded = await withWorkspace(reader, async (trx) => {
    const [message] = await loadMessages(trx, [event.id]);
    if (!message) return null;
    const [parent] =
      message.parentId && event.k === 'message.created'
        ? await loadMessages(trx, [message.parentId])
        : [];
    return { message, parent, slug: await workspaceSlug(trx) };
  });
  if (!loaded) return audience.map(() => null);
  const { message, parent, slug } = loaded;
  const created = event.k === 'message.created';
  const typingEnded =
    created && message.authorId ? stopTyping(conversationId, message.authorId) : false;
  return renderPerView(
    audience,
    (viewer) =>
      members.has(viewer.userId)
        ? [
            viewer.locale,
            viewer.timeZone,
            viewer.userId === message.authorId || viewer.userId === parent?.authorId
              ? viewer.userId
              : '',
            readerOf(viewer).isAdmin,
            reacted(message, viewer.userId),
            parent ? reacted(parent, viewer.userId) : '',
          ].join('|')
        : null,
    (viewer) => ({
      event: chatEvents.message,
      data: renderFragment(
        viewer,
        <>
          {messageSwap(message, parent, readerOf(viewer), slug, created)}
          {typingEnded ? (
            <TypingNotice names={typistsFor(conversationId, viewer.userId)} oob />
          ) : null}
        </>,
      ),
    }),
  );
}

async function typingFanOut(event: LiveEvent, audience: Audience[], conversationId: string) {
  const typist = event.id;
  if (event.k === 'typing') {
    const someone = audience[0]!.viewer;
    const found = await withWorkspace({ userId: someone.userId, workspaceId: event.w }, (trx) =>
      trx.selectFrom('users').select(['name', 'email']).where('id', '=', typist).executeTakeFirst(),
    );
    if (!found) return audience.map(() => null);
    noteTyping(event.w, conversationId, typist, found.name ?? found.email ?? '');
  }
  return renderPerView(
    audience,
    // The typist's own page does not show their own name.
    (viewer) => `${viewer.locale}|${typistsFor(conversationId, viewer.userId).join('|')}`,
    (viewer) => ({
      event: chatEvents.typing,
      data: renderFragment(
        viewer,
        <TypingNotice names={typistsFor(conversationId, viewer.userId)} oob />,
      ),
    }),
  );
}

/**
 * A conversation's page: new, changed and deleted messages and replies, and who is typing.
 * Hundreds of pages may follow one conversation, so an event is read once and rendered once
 * per distinct reader (fanOut), and each member's permissions are what the fragment shows.
 */
defineTopic({
  kind: 'conversation',
  authorize: async (trx, viewer, conversationId) =>
    Boolean(
      await findConversation(
        trx,
        {
          role: viewer.role as WorkspaceRole,
          ctx: { userId: viewer.userId, workspaceId: viewer.workspaceId },
        },
        conversationId,
      ),
    ),
  async fanOut(event, audience) {
    const conversationId = event.t.slice('conversation:'.length);
    if (event.k === 'message.created' || event.k === 'message.updated')
      return messageFanOut(event, audience, conversationId);
    if (event.k === 'typing' || event.k === 'typing.stopped')
      return typingFanOut(event, audience, conversationId);
    if (event.k === 'members.changed') return membersFanOut(event, audience, conversationId);
    return audience.map(() => null);
  },
  async replay(trx, viewer, conversationId, afterSeq) {
    const changed = await changedSince(trx, conversationId, afterSeq);
    if (changed.length === 0) return [];
    const slug = await workspaceSlug(trx);
    const reader = readerOf(viewer);
    return changed.map((message) => ({
      event: chatEvents.message,
      id: message.liveSeq,
      data: renderFragment(
        viewer,
        messageSwap(
          message,
          undefined,
          reader,
          slug,
          BigInt(message.createdLiveSeq) > BigInt(afterSeq),
        ),
      ),
    }));
  },
});

/** Who is around: a person's badge, wherever a page shows it. */
defineTopic({
  kind: 'presence',
  authorize: async (_trx, viewer, workspaceId) => workspaceId === viewer.workspaceId,
  async fanOut(event, audience) {
    const someone = audience[0]!.viewer;
    const row = await withWorkspace({ userId: someone.userId, workspaceId: event.w }, (trx) =>
      myPresence(trx, event.id),
    );
    const seen = {
      onlineUntil: row?.onlineUntil ?? null,
      lastSeenAt: row?.lastSeenAt ?? null,
      doNotDisturb: row?.doNotDisturb ?? false,
    };
    const state = presenceState(seen);
    return renderPerView(
      audience,
      (viewer) => viewer.locale,
      (viewer) => ({
        event: chatEvents.presence,
        data: renderFragment(
          viewer,
          <PresenceBadge userId={event.id} state={state} offlineAt={offlineAt(seen)} oob />,
        ),
      }),
    );
  },
  // Every badge that changed since, in one event and without an id: presence has no place in
  // the conversation's sequence of messages, which the browser's Last-Event-ID follows.
  async replay(trx, viewer, _workspaceId, afterSeq) {
    const changed = await presenceChangedSince(trx, afterSeq);
    if (changed.length === 0) return [];
    return [
      {
        event: chatEvents.presence,
        data: renderFragment(
          viewer,
          <>
            {changed.map((row) => (
              <PresenceBadge
                key={row.userId}
                userId={row.userId}
                state={presenceState(row)}
                offlineAt={offlineAt(row)}
                oob
              />
            ))}
          </>,
        ),
      },
    ];
  },
});

/** The header's unread count (and, on the list of conversations, the list), for one reader. */
async function inboxFor(trx: Trx, viewer: Viewer, onList: boolean) {
  const unread = await countUnreadMessages(trx, viewer.userId);
  const slug = onList ? await workspaceSlug(trx) : '';
  const list = onList
    ? await listConversations(trx, {
        role: viewer.role as WorkspaceRole,
        ctx: { userId: viewer.userId, workspaceId: viewer.workspaceId },
      })
    : null;
  return {
    event: chatEvents.inbox,
    data: renderFragment(
      viewer,
      <>
        <ChatUnreadCount unread={unread} cap={UNREAD_CAP} oob />
        {list ? <ConversationList slug={slug} conversations={list} cap={UNREAD_CAP} oob /> : null}
      </>,
    ),
  };
}

const followsList = (entry: Audience) =>
  entry.topics.includes(chatListTopic(entry.viewer.workspaceId));

/**
 * The workspace's unread counts: on a new message, each member of its conversation gets their
 * own count, except on a page of that very conversation (reading it marks it read); on "read",
 * the reader's other pages catch up.
 */
defineTopic({
  kind: 'inbox',
  authorize: async (_trx, viewer, workspaceId) => workspaceId === viewer.workspaceId,
  async fanOut(event, audience) {
    let affected: Set<Audience>;
    if (event.k === 'read') {
      affected = new Set(audience.filter((entry) => entry.viewer.userId === event.id));
    } else {
      const conversationId = event.id;
      const someone = audience[0]!.viewer;
      const members = await withWorkspace({ userId: someone.userId, workspaceId: event.w }, (trx) =>
        membersAmong(trx, conversationId, [
          ...new Set(audience.map((entry) => entry.viewer.userId)),
        ]),
      );
      affected = new Set(
        audience.filter(
          (entry) =>
            members.has(entry.viewer.userId) &&
            !entry.topics.includes(conversationTopic(conversationId)),
        ),
      );
    }
    return Promise.all(
      audience.map((entry) =>
        affected.has(entry)
          ? withWorkspace(entry.viewer, (trx) => inboxFor(trx, entry.viewer, followsList(entry)))
          : null,
      ),
    );
  },
  // A page that reconnects gets its count as it is now.
  async replay(trx, viewer) {
    return [await inboxFor(trx, viewer, false)];
  },
});

/** Only a marker: the list page follows it so that inbox events re-render its rows. */
defineTopic({
  kind: 'chat-list',
  authorize: async (_trx, viewer, workspaceId) => workspaceId === viewer.workspaceId,
  fanOut: async (_event, audience) => audience.map(() => null),
  replay: async () => [],
});
