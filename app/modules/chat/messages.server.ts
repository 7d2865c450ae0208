import { sql } from 'kysely';
import { recordAudit } from '~/modules/audit/record.server';
import {
  attachFiles,
  listAttachments,
  trashOwnerFiles,
  type Attachment,
} from '~/modules/files/files.server';
import type { StagedFile } from '~/modules/files/upload.server';
import { notify } from '~/modules/notifications/notify.server';
import { renderMarkdown } from '~/modules/projects/markdown.server';
import {
  findMentions,
  markMentions,
  mentionsWord,
  unknownMentions,
  type Mentionable,
} from '~/modules/tasks/mentions';
import type { Trx } from '~/platform/db/database.server';
import { enqueueJob } from '~/platform/jobs/jobs.server';
import { notifyLive } from '~/platform/live/notify.server';
import {
  conversationTopic,
  inboxTopic,
  type ChatViewer,
  type Conversation,
} from './conversations.server';
import { mentionEmailJob } from './mention-email.server';
import { messageFilesOwner } from './message-files.server';
import { MESSAGES_PAGE_SIZE, type ReactionName } from './schema';

/** "@here": everyone in the conversation. */
const HERE = 'here';
const EXCERPT_LENGTH = 200;

/**
 * The people a message may mention: the conversation's active members. A text without an "@"
 * mentions nobody, and a busy conversation's hundreds of members need not be read for it.
 */
async function mentionablePeople(
  trx: Trx,
  conversationId: string,
  body: string,
): Promise<Mentionable[]> {
  if (!body.includes('@')) return [];
  return trx
    .selectFrom('conversationMembers')
    .innerJoin('users', 'users.id', 'conversationMembers.userId')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.userId', '=', 'users.id')
        .onRef('memberships.workspaceId', '=', 'conversationMembers.workspaceId'),
    )
    .select(['users.id', 'users.name', 'users.email'])
    .where('conversationMembers.conversationId', '=', conversationId)
    .where('memberships.status', '=', 'active')
    .where('users.deletedAt', 'is', null)
    .execute();
}

export type MessageRefusal = { message: string; values?: Record<string, string | number> };

/**
 * A message's text as HTML, rendered once when it is written (every reader and every live
 * event reuses it): markdown without raw HTML, mentions of members and @here marked.
 */
function renderBody(body: string, people: Mentionable[]): string {
  return markMentions(renderMarkdown(body), [
    ...people,
    { id: HERE, name: null, email: `${HERE}@` },
  ]);
}

/** An @word that names no member refuses the message: nobody would be told. */
function mentionRefusal(body: string, people: Mentionable[]): MessageRefusal | null {
  const unknown = unknownMentions(body, people, [HERE]);
  return unknown.length
    ? {
        message: 'chat:errors.unknownMention',
        values: { names: unknown.map((handle) => `@${handle}`).join(', ') },
      }
    : null;
}

const nextLiveSeq = async (trx: Trx) =>
  (await sql<{ seq: string }>`select nextval('live_seq')::text as seq`.execute(trx)).rows[0]!.seq;

export type PostedMessage = { id: string; seq: number };

/**
 * Posts a message (or a reply in a thread) with its attachments, in the caller's transaction:
 * the conversation's order and activity move on, members it mentions are notified (and, after
 * ten minutes away, mailed), and every open page of the conversation hears of it.
 */
export async function postMessage(
  trx: Trx,
  viewer: ChatViewer,
  slug: string,
  conversation: Conversation,
  input: { body: string; parentId?: string },
  uploads: StagedFile[] = [],
): Promise<{ ok: true; message: PostedMessage } | ({ ok: false } & MessageRefusal)> {
  const me = viewer.ctx.userId!;
  const people = await mentionablePeople(trx, conversation.id, input.body);
  const refused = mentionRefusal(input.body, people);
  if (refused) return { ok: false, ...refused };
  if (input.parentId) {
    const parent = await trx
      .selectFrom('messages')
      .select(['id', 'parentId', 'deletedAt'])
      .where('id', '=', input.parentId)
      .where('conversationId', '=', conversation.id)
      .executeTakeFirst();
    if (!parent || parent.parentId || parent.deletedAt)
      return { ok: false, message: 'chat:errors.noThread' };
  }
  const liveSeq = await nextLiveSeq(trx);
  const message = await trx
    .insertInto('messages')
    .values({
      workspaceId: viewer.ctx.workspaceId,
      conversationId: conversation.id,
      authorId: me,
      parentId: input.parentId ?? null,
      body: input.body,
      bodyHtml: renderBody(input.body, people),
      liveSeq,
      createdLiveSeq: liveSeq,
    })
    .returning(['id', 'seq', 'createdAt'])
    .executeTakeFirstOrThrow();
  if (uploads.length) {
    const attached = await attachFiles(
      trx,
      viewer,
      { kind: messageFilesOwner.kind, id: message.id },
      uploads,
    );
    if (!attached.ok) throw attachRefusal(attached);
  }
  await notifyMentioned(trx, viewer, slug, conversation, message.id, input.body, people);
  await notifyLive(trx, {
    w: viewer.ctx.workspaceId,
    t: conversationTopic(conversation.id),
    k: 'message.created',
    id: message.id,
    s: liveSeq,
  });
  if (input.parentId) {
    await trx
      .updateTable('messages')
      .set({ replyCount: sql`reply_count + 1`, lastReplyAt: message.createdAt })
      .where('id', '=', input.parentId)
      .execute();
  } else {
    await notifyLive(trx, {
      w: viewer.ctx.workspaceId,
      t: inboxTopic(viewer.ctx.workspaceId),
      k: 'message.created',
      id: conversation.id,
      s: '',
    });
    // My own message is read by me.
    await trx
      .updateTable('conversationMembers')
      .set({ lastReadSeq: sql`greatest(last_read_seq, ${message.seq})` })
      .where('conversationId', '=', conversation.id)
      .where('userId', '=', me)
      .execute();
    // Last: every post to the conversation waits for this row's lock until the one before it
    // commits, so it is held for as short a time as can be. Posts may commit out of their
    // numbers' order: the newest number wins whoever commits last.
    await trx
      .updateTable('conversations')
      .set({
        lastMessageSeq: sql`greatest(last_message_seq, ${message.seq})`,
        lastMessageAt: sql`greatest(last_message_at, ${message.createdAt})`,
      })
      .where('id', '=', conversation.id)
      .execute();
  }
  return { ok: true, message: { id: message.id, seq: Number(message.seq) } };
}

/** Thrown from inside the transaction, so the message rolls back with its files. */
function attachRefusal(
  attached: Exclude<Awaited<ReturnType<typeof attachFiles>>, { ok: true }>,
): Response {
  if (attached.reason === 'quota')
    return Response.json(
      { message: 'files:errors.quota', values: {} },
      { status: 413, headers: { 'Content-Type': 'application/json' } },
    );
  return Response.json(
    { message: 'files:problems.typeNotAccepted', values: { name: attached.file.name } },
    { status: 422 },
  );
}

async function notifyMentioned(
  trx: Trx,
  viewer: ChatViewer,
  slug: string,
  conversation: Conversation,
  messageId: string,
  body: string,
  people: Mentionable[],
) {
  const everyone = mentionsWord(body, HERE);
  const mentioned = everyone ? people : findMentions(body, people);
  if (mentioned.length === 0) return;
  const excerpt = body.length > EXCERPT_LENGTH ? `${body.slice(0, EXCERPT_LENGTH - 1)}…` : body;
  // Named as the reader knows it: a direct conversation is, to them, the sender.
  const author = people.find((person) => person.id === viewer.ctx.userId);
  const title =
    conversation.kind === 'direct' ? (author?.name ?? author?.email ?? '') : conversation.title;
  for (const person of mentioned) {
    const notificationId = await notify(trx, {
      workspaceId: viewer.ctx.workspaceId,
      userId: person.id,
      actorId: viewer.ctx.userId,
      kind: 'chat.mentioned',
      title,
      excerpt,
      path: `/w/${slug}/chat/${conversation.id}/messages/${messageId}`,
    });
    // The job decides when: at once for someone away, later for someone here.
    if (notificationId)
      await enqueueJob(trx, mentionEmailJob, {
        workspaceId: viewer.ctx.workspaceId,
        userId: person.id,
        notificationId,
      });
  }
}

export type StoredMessage = NonNullable<Awaited<ReturnType<typeof findMessage>>>;

/** A message of this conversation (RLS shows only those of my conversations). */
export async function findMessage(trx: Trx, conversationId: string, messageId: string) {
  return trx
    .selectFrom('messages')
    .select([
      'id',
      'conversationId',
      'parentId',
      'authorId',
      'body',
      'seq',
      'deletedAt',
      'editedAt',
      'createdAt',
    ])
    .where('id', '=', messageId)
    .where('conversationId', '=', conversationId)
    .executeTakeFirst();
}

async function announceChange(
  trx: Trx,
  viewer: ChatViewer,
  message: { id: string; conversationId: string },
) {
  const { liveSeq } = await trx
    .updateTable('messages')
    .set({ liveSeq: sql`nextval('live_seq')` })
    .where('id', '=', message.id)
    .returning('liveSeq')
    .executeTakeFirstOrThrow();
  await notifyLive(trx, {
    w: viewer.ctx.workspaceId,
    t: conversationTopic(message.conversationId),
    k: 'message.updated',
    id: message.id,
    s: String(liveSeq),
  });
}

/** The author's correction: the earlier text is kept for admins, the message says "edited". */
export async function editMessage(
  trx: Trx,
  viewer: ChatViewer,
  message: StoredMessage,
  body: string,
): Promise<MessageRefusal | null> {
  if (body === message.body) return null;
  const people = await mentionablePeople(trx, message.conversationId, body);
  const refused = mentionRefusal(body, people);
  if (refused) return refused;
  await trx
    .insertInto('messageEdits')
    .values({
      workspaceId: viewer.ctx.workspaceId,
      messageId: message.id,
      editorId: viewer.ctx.userId,
      body: message.body,
    })
    .execute();
  await trx
    .updateTable('messages')
    .set({ body, bodyHtml: renderBody(body, people), editedAt: new Date() })
    .where('id', '=', message.id)
    .execute();
  await announceChange(trx, viewer, message);
  return null;
}

/**
 * A tombstone: the message keeps its place ("message deleted") but loses its text, its earlier
 * versions, its reactions and its files (to the trash). Recorded, with who deleted it.
 */
export async function deleteMessage(trx: Trx, viewer: ChatViewer, message: StoredMessage) {
  await trx
    .updateTable('messages')
    .set({ body: '', bodyHtml: '', deletedAt: new Date(), deletedBy: viewer.ctx.userId })
    .where('id', '=', message.id)
    .execute();
  await trx.deleteFrom('messageEdits').where('messageId', '=', message.id).execute();
  await trx.deleteFrom('messageReactions').where('messageId', '=', message.id).execute();
  await trashOwnerFiles(trx, viewer, { kind: messageFilesOwner.kind, id: message.id });
  await recordAudit(trx, {
    action: 'chat.message_deleted',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'message', id: message.id },
    changes: {
      conversationId: message.conversationId,
      authorId: message.authorId,
      byAuthor: message.authorId === viewer.ctx.userId,
    },
  });
  await announceChange(trx, viewer, message);
}

/** A reaction button: pressed, it adds mine; pressed again, it takes mine away. */
export async function toggleReaction(
  trx: Trx,
  viewer: ChatViewer,
  message: StoredMessage,
  emoji: ReactionName,
): Promise<void> {
  const removed = await trx
    .deleteFrom('messageReactions')
    .where('messageId', '=', message.id)
    .where('emoji', '=', emoji)
    .where('userId', '=', viewer.ctx.userId!)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0)
    await trx
      .insertInto('messageReactions')
      .values({
        workspaceId: viewer.ctx.workspaceId,
        messageId: message.id,
        userId: viewer.ctx.userId!,
        emoji,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  await announceChange(trx, viewer, message);
}

/** Earlier versions of a message, newest first (admins only: see chatPolicy.seeEdits). */
export async function listEdits(trx: Trx, messageId: string) {
  return trx
    .selectFrom('messageEdits')
    .leftJoin('users', 'users.id', 'messageEdits.editorId')
    .select(['messageEdits.id', 'messageEdits.body', 'messageEdits.replacedAt', 'users.name'])
    .where('messageEdits.messageId', '=', messageId)
    .orderBy('messageEdits.id', 'desc')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Reading

const messageColumns = [
  'messages.id',
  'messages.conversationId',
  'messages.parentId',
  'messages.seq',
  'messages.authorId',
  'users.name as authorName',
  'messages.body',
  'messages.bodyHtml',
  'messages.createdAt',
  'messages.editedAt',
  'messages.deletedAt',
  'messages.replyCount',
  'messages.lastReplyAt',
  'messages.liveSeq',
  'messages.createdLiveSeq',
] as const;

export type MessageReaction = {
  name: ReactionName;
  userIds: string[];
  people: string[];
};

/** A message as every reader sees it; what differs per reader is decided when rendering. */
export type MessageView = {
  id: string;
  conversationId: string;
  parentId: string | null;
  seq: number;
  authorId: string | null;
  authorName: string | null;
  body: string;
  bodyHtml: string;
  createdAt: Date | string;
  editedAt: Date | string | null;
  deletedAt: Date | string | null;
  replyCount: number;
  reactions: MessageReaction[];
  attachments: Attachment[];
  liveSeq: string;
  createdLiveSeq: string;
};

/** Reactions and attachments for a set of message rows, in two queries. */
async function present(
  trx: Trx,
  rows: Array<
    Omit<MessageView, 'reactions' | 'attachments' | 'seq' | 'liveSeq' | 'createdLiveSeq'> & {
      seq: string | number;
      liveSeq: string | number;
      createdLiveSeq: string | number;
    }
  >,
): Promise<MessageView[]> {
  const ids = rows.filter((row) => !row.deletedAt).map((row) => row.id);
  const [reactions, attachments] = await Promise.all([
    ids.length
      ? trx
          .selectFrom('messageReactions')
          .innerJoin('users', 'users.id', 'messageReactions.userId')
          .select([
            'messageReactions.messageId',
            'messageReactions.emoji',
            'messageReactions.userId',
            'users.name',
          ])
          .where('messageReactions.messageId', 'in', ids)
          .orderBy('messageReactions.createdAt')
          .execute()
      : [],
    listAttachments(trx, messageFilesOwner.kind, ids),
  ]);
  return rows.map((row) => {
    const mine = reactions.filter((reaction) => reaction.messageId === row.id);
    const byEmoji = new Map<ReactionName, MessageReaction>();
    for (const reaction of mine) {
      const name = reaction.emoji as ReactionName;
      const entry = byEmoji.get(name) ?? { name, userIds: [], people: [] };
      entry.userIds.push(reaction.userId);
      entry.people.push(reaction.name ?? '');
      byEmoji.set(name, entry);
    }
    return {
      ...row,
      seq: Number(row.seq),
      liveSeq: String(row.liveSeq),
      createdLiveSeq: String(row.createdLiveSeq),
      reactions: [...byEmoji.values()],
      attachments: attachments.filter((file) => file.ownerId === row.id),
    };
  });
}

function messagesQuery(trx: Trx) {
  return trx
    .selectFrom('messages')
    .leftJoin('users', 'users.id', 'messages.authorId')
    .select(messageColumns);
}

/** Messages by id, for live events and replays, in their order. */
export async function loadMessages(trx: Trx, ids: string[]): Promise<MessageView[]> {
  if (ids.length === 0) return [];
  const rows = await messagesQuery(trx)
    .where('messages.id', 'in', ids)
    .orderBy('messages.seq')
    .execute();
  return present(trx, rows);
}

export type Timeline = {
  messages: MessageView[];
  /** The seq to page back from, when older messages exist. */
  olderBefore: number | null;
  /** Whether newer messages exist than the last shown (an older page, or a search result's). */
  hasNewer: boolean;
};

/**
 * A page of the conversation's top-level messages, oldest first: the newest 50, the 50 before
 * a seq ("older messages"), or the 50 around one (a search result shown in context).
 */
export async function loadTimeline(
  trx: Trx,
  conversationId: string,
  page: { before?: number; at?: number },
): Promise<Timeline> {
  const base = () =>
    messagesQuery(trx)
      .where('messages.conversationId', '=', conversationId)
      .where('messages.parentId', 'is', null);
  let rows;
  if (page.at) {
    const half = MESSAGES_PAGE_SIZE / 2;
    const [before, after] = await Promise.all([
      base()
        .where('messages.seq', '<=', String(page.at))
        .orderBy('messages.seq', 'desc')
        .limit(half)
        .execute(),
      base()
        .where('messages.seq', '>', String(page.at))
        .orderBy('messages.seq')
        .limit(half + 1)
        .execute(),
    ]);
    rows = [...before.reverse(), ...after.slice(0, half)];
    const shown = await present(trx, rows);
    return {
      messages: shown,
      olderBefore: await olderThan(trx, conversationId, shown[0]?.seq),
      hasNewer: after.length > half,
    };
  }
  let query = base();
  if (page.before) query = query.where('messages.seq', '<', String(page.before));
  const newest = await query
    .orderBy('messages.seq', 'desc')
    .limit(MESSAGES_PAGE_SIZE + 1)
    .execute();
  const hasOlder = newest.length > MESSAGES_PAGE_SIZE;
  const shown = await present(trx, newest.slice(0, MESSAGES_PAGE_SIZE).reverse());
  return {
    messages: shown,
    olderBefore: hasOlder ? (shown[0]?.seq ?? null) : null,
    hasNewer: Boolean(page.before),
  };
}

async function olderThan(trx: Trx, conversationId: string, seq: number | undefined) {
  if (seq === undefined) return null;
  const older = await trx
    .selectFrom('messages')
    .select('seq')
    .where('conversationId', '=', conversationId)
    .where('parentId', 'is', null)
    .where('seq', '<', String(seq))
    .limit(1)
    .executeTakeFirst();
  return older ? seq : null;
}

/** The first unread message after my marker, if any (the "new messages" divider goes above it). */
export async function firstUnread(
  trx: Trx,
  viewer: ChatViewer,
  conversation: Conversation,
): Promise<number | null> {
  const row = await trx
    .selectFrom('messages')
    .select('seq')
    .where('conversationId', '=', conversation.id)
    .where('parentId', 'is', null)
    .where('seq', '>', conversation.lastReadSeq)
    .where('deletedAt', 'is', null)
    .where('authorId', 'is distinct from', viewer.ctx.userId)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.seq) : null;
}

/** A thread: the message and all its replies, oldest first. */
export async function loadThread(trx: Trx, conversationId: string, messageId: string) {
  const rows = await messagesQuery(trx)
    .where('messages.conversationId', '=', conversationId)
    .where((eb) =>
      eb.or([eb('messages.id', '=', messageId), eb('messages.parentId', '=', messageId)]),
    )
    .orderBy('messages.seq')
    .limit(501)
    .execute();
  const messages = await present(trx, rows);
  const root = messages.find((message) => message.id === messageId);
  return root ? { root, replies: messages.filter((message) => message.id !== messageId) } : null;
}

/** Messages of the conversation changed or created after a live_seq: what a page missed. */
export async function changedSince(trx: Trx, conversationId: string, afterSeq: string) {
  const rows = await messagesQuery(trx)
    .where('messages.conversationId', '=', conversationId)
    .where('messages.liveSeq', '>', afterSeq)
    .orderBy('messages.liveSeq')
    .limit(200)
    .execute();
  return present(trx, rows);
}
