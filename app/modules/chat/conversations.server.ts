import { sql } from 'kysely';
import { recordAudit } from '~/modules/audit/record.server';
import type { Member } from '~/modules/workspaces/queries.server';
import type { Trx } from '~/platform/db/database.server';
import { notifyLive } from '~/platform/live/notify.server';
import { refusal } from '~/platform/http-errors.server';

export type ChatViewer = Pick<Member, 'role' | 'ctx'>;

/** The live topic of a conversation: its messages, typing and members. */
export const conversationTopic = (conversationId: string) => `conversation:${conversationId}`;
/** The live topic of the workspace's unread counts (each reader gets their own). */
export const inboxTopic = (workspaceId: string) => `inbox:${workspaceId}`;

/** Unread counts are shown up to here ("99+"): counting further costs more and tells nobody more. */
export const UNREAD_CAP = 99;

const myId = (viewer: ChatViewer) => viewer.ctx.userId!;

/**
 * A conversation's name as its reader sees it: a group's own, a project's name, or, for a
 * direct conversation, the other person.
 */
const titleOf = (userId: string) =>
  sql<string>`coalesce(
    conversations.name,
    (select p.name from projects p where p.id = conversations.project_id),
    (select coalesce(u.name, u.email) from conversation_members o join users u on u.id = o.user_id
      where o.conversation_id = conversations.id and o.user_id <> ${userId} limit 1),
    ''
  )`;

/** Top-level messages by others after what I have read, up to the cap. */
const unreadOf = (userId: string) =>
  sql<number>`(select count(*)::int from (
    select 1 from messages m
    where m.conversation_id = conversations.id and m.parent_id is null
      and m.seq > conversation_members.last_read_seq and m.deleted_at is null
      and m.author_id is distinct from ${userId}
    limit ${UNREAD_CAP + 1}) unread)`;

export type Conversation = NonNullable<Awaited<ReturnType<typeof findConversation>>>;

/** A conversation I am a member of (anyone else gets nothing: 404, never "forbidden"). */
export async function findConversation(trx: Trx, viewer: ChatViewer, conversationId: string) {
  return (
    trx
      .selectFrom('conversations')
      .innerJoin('conversationMembers', (join) =>
        join
          .onRef('conversationMembers.conversationId', '=', 'conversations.id')
          .on('conversationMembers.userId', '=', myId(viewer)),
      )
      .leftJoin('projects', 'projects.id', 'conversations.projectId')
      .select([
        'conversations.id',
        'conversations.kind',
        'conversations.name',
        'conversations.projectId',
        'conversations.createdBy',
        'conversations.lastMessageSeq',
        'projects.key as projectKey',
        'conversationMembers.lastReadSeq',
        'conversationMembers.muted',
        titleOf(myId(viewer)).as('title'),
      ])
      .where('conversations.id', '=', conversationId)
      // A project in the trash takes its conversation with it, until it is restored.
      .where('projects.deletedAt', 'is', null)
      .executeTakeFirst()
  );
}

/** My conversations, the most recently active first, each with its unread count and last message. */
export async function listConversations(trx: Trx, viewer: ChatViewer) {
  return trx
    .selectFrom('conversations')
    .innerJoin('conversationMembers', (join) =>
      join
        .onRef('conversationMembers.conversationId', '=', 'conversations.id')
        .on('conversationMembers.userId', '=', myId(viewer)),
    )
    .leftJoin('projects', 'projects.id', 'conversations.projectId')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('messages')
          .leftJoin('users', 'users.id', 'messages.authorId')
          .select([
            'messages.body as lastBody',
            'messages.deletedAt as lastDeletedAt',
            'users.name as lastAuthorName',
          ])
          .whereRef('messages.conversationId', '=', 'conversations.id')
          .where('messages.parentId', 'is', null)
          .orderBy('messages.seq', 'desc')
          .limit(1)
          .as('last'),
      (join) => join.onTrue(),
    )
    .select([
      'conversations.id',
      'conversations.kind',
      'conversations.lastMessageAt',
      'conversations.createdAt',
      'conversationMembers.muted',
      'last.lastBody',
      'last.lastDeletedAt',
      'last.lastAuthorName',
      titleOf(myId(viewer)).as('title'),
      unreadOf(myId(viewer)).as('unread'),
    ])
    .where('projects.deletedAt', 'is', null)
    .orderBy(sql`coalesce(conversations.last_message_at, conversations.created_at)`, 'desc')
    .limit(200)
    .execute();
}

export type ConversationSummary = Awaited<ReturnType<typeof listConversations>>[number];

/** The header's number: unread messages in all my conversations that are not muted. */
export async function countUnreadMessages(trx: Trx, userId: string): Promise<number> {
  const row = await trx
    .selectFrom('conversations')
    .innerJoin('conversationMembers', (join) =>
      join
        .onRef('conversationMembers.conversationId', '=', 'conversations.id')
        .on('conversationMembers.userId', '=', userId),
    )
    .leftJoin('projects', 'projects.id', 'conversations.projectId')
    .select(sql<number>`coalesce(sum(${unreadOf(userId)}), 0)::int`.as('unread'))
    .where('conversationMembers.muted', '=', false)
    .where('projects.deletedAt', 'is', null)
    // Only conversations with something after my marker are counted at all.
    .whereRef('conversations.lastMessageSeq', '>', 'conversationMembers.lastReadSeq')
    .executeTakeFirst();
  return Math.min(row?.unread ?? 0, UNREAD_CAP + 1);
}

/**
 * Everything up to the newest message is read now; my other pages' counts follow. Says whether
 * there was anything unread.
 */
export async function markRead(
  trx: Trx,
  viewer: ChatViewer,
  conversation: Conversation,
): Promise<boolean> {
  // bigint columns arrive as strings: compared as text, "9" >= "10".
  if (BigInt(conversation.lastReadSeq) >= BigInt(conversation.lastMessageSeq)) return false;
  await trx
    .updateTable('conversationMembers')
    .set({ lastReadSeq: sql`greatest(last_read_seq, ${conversation.lastMessageSeq})` })
    .where('conversationId', '=', conversation.id)
    .where('userId', '=', myId(viewer))
    .execute();
  await notifyLive(trx, {
    w: viewer.ctx.workspaceId,
    t: inboxTopic(viewer.ctx.workspaceId),
    k: 'read',
    id: myId(viewer),
    s: '',
  });
  return true;
}

/** The conversation's members with how they are (online, away, offline, do not disturb). */
export async function listConversationMembers(trx: Trx, conversationId: string) {
  return trx
    .selectFrom('conversationMembers')
    .innerJoin('users', 'users.id', 'conversationMembers.userId')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.userId', '=', 'users.id')
        .onRef('memberships.workspaceId', '=', 'conversationMembers.workspaceId'),
    )
    .leftJoin('presence', (join) =>
      join
        .onRef('presence.userId', '=', 'users.id')
        .onRef('presence.workspaceId', '=', 'conversationMembers.workspaceId'),
    )
    .select([
      'users.id',
      'users.name',
      'users.email',
      'memberships.role',
      'conversationMembers.addedBy',
      'presence.onlineUntil',
      'presence.lastSeenAt',
      'presence.doNotDisturb',
    ])
    .where('conversationMembers.conversationId', '=', conversationId)
    .where('memberships.status', '=', 'active')
    .where('users.deletedAt', 'is', null)
    .orderBy(sql`lower(coalesce(users.name, users.email))`)
    .execute();
}

export type ConversationMember = Awaited<ReturnType<typeof listConversationMembers>>[number];

/** Active members of the workspace one may start a conversation with or add to one. */
export async function listWorkspacePeople(trx: Trx) {
  return trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.userId')
    .select(['users.id', 'users.name', 'users.email', 'memberships.role'])
    .where('memberships.status', '=', 'active')
    .where('users.deletedAt', 'is', null)
    .orderBy(sql`lower(coalesce(users.name, users.email))`)
    .execute();
}

async function requireActiveMembers(trx: Trx, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  const found = await trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.userId')
    .select('users.id')
    .where('users.id', 'in', userIds)
    .where('memberships.status', '=', 'active')
    .where('users.deletedAt', 'is', null)
    .execute();
  if (found.length !== new Set(userIds).size) throw refusal(422, 'chat:errors.notAMember');
}

/**
 * "Message Ana": the pair's one direct conversation, opened or found. Two people starting it
 * at once both land in the same one (the unique pair key).
 */
export async function openDirectConversation(
  trx: Trx,
  viewer: ChatViewer,
  otherUserId: string,
): Promise<string> {
  const me = myId(viewer);
  if (otherUserId === me) throw refusal(422, 'chat:errors.directWithSelf');
  await requireActiveMembers(trx, [otherUserId]);
  const directKey = [me, otherUserId].sort().join(':');
  const created = await trx
    .insertInto('conversations')
    .values({
      workspaceId: viewer.ctx.workspaceId,
      kind: 'direct',
      directKey,
      createdBy: me,
    })
    .onConflict((oc) => oc.columns(['workspaceId', 'directKey']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!created) {
    const existing = await trx
      .selectFrom('conversations')
      .select('id')
      .where('directKey', '=', directKey)
      .executeTakeFirstOrThrow();
    return existing.id;
  }
  await trx
    .insertInto('conversationMembers')
    .values(
      [me, otherUserId].map((userId) => ({
        workspaceId: viewer.ctx.workspaceId,
        conversationId: created.id,
        userId,
        addedBy: me,
      })),
    )
    .execute();
  await recordAudit(trx, {
    action: 'chat.conversation_created',
    workspaceId: viewer.ctx.workspaceId,
    actorId: me,
    target: { type: 'conversation', id: created.id },
    changes: { kind: 'direct', members: [me, otherUserId] },
  });
  return created.id;
}

/** A named group of the creator and the people chosen. */
export async function createGroup(
  trx: Trx,
  viewer: ChatViewer,
  group: { name: string; memberIds: string[] },
): Promise<string> {
  const me = myId(viewer);
  const memberIds = [...new Set([me, ...group.memberIds])];
  await requireActiveMembers(trx, memberIds);
  const created = await trx
    .insertInto('conversations')
    .values({ workspaceId: viewer.ctx.workspaceId, kind: 'group', name: group.name, createdBy: me })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('conversationMembers')
    .values(
      memberIds.map((userId) => ({
        workspaceId: viewer.ctx.workspaceId,
        conversationId: created.id,
        userId,
        addedBy: me,
      })),
    )
    .execute();
  await recordAudit(trx, {
    action: 'chat.conversation_created',
    workspaceId: viewer.ctx.workspaceId,
    actorId: me,
    target: { type: 'conversation', id: created.id },
    changes: { kind: 'group', name: group.name, members: memberIds },
  });
  return created.id;
}

async function announceMembers(trx: Trx, viewer: ChatViewer, conversationId: string) {
  await notifyLive(trx, {
    w: viewer.ctx.workspaceId,
    t: conversationTopic(conversationId),
    k: 'members.changed',
    id: conversationId,
    s: '',
  });
}

export async function addGroupMembers(
  trx: Trx,
  viewer: ChatViewer,
  conversation: Conversation,
  userIds: string[],
): Promise<number> {
  await requireActiveMembers(trx, userIds);
  const added = await trx
    .insertInto('conversationMembers')
    .values(
      userIds.map((userId) => ({
        workspaceId: viewer.ctx.workspaceId,
        conversationId: conversation.id,
        userId,
        addedBy: myId(viewer),
        // A newcomer can read the history, but it is not news to them.
        lastReadSeq: conversation.lastMessageSeq,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning('userId')
    .execute();
  for (const { userId } of added)
    await recordAudit(trx, {
      action: 'chat.member_added',
      workspaceId: viewer.ctx.workspaceId,
      actorId: myId(viewer),
      target: { type: 'conversation', id: conversation.id },
      changes: { userId },
    });
  if (added.length) await announceMembers(trx, viewer, conversation.id);
  return added.length;
}

/** Removes someone from a group (or, when it is me, leaves it). */
export async function removeGroupMember(
  trx: Trx,
  viewer: ChatViewer,
  conversation: Conversation,
  userId: string,
): Promise<boolean> {
  const removed = await trx
    .deleteFrom('conversationMembers')
    .where('conversationId', '=', conversation.id)
    .where('userId', '=', userId)
    .returning('userId')
    .executeTakeFirst();
  if (!removed) return false;
  const leaving = userId === myId(viewer);
  await recordAudit(trx, {
    action: leaving ? 'chat.member_left' : 'chat.member_removed',
    workspaceId: viewer.ctx.workspaceId,
    actorId: myId(viewer),
    target: { type: 'conversation', id: conversation.id },
    changes: { userId },
  });
  await announceMembers(trx, viewer, conversation.id);
  return true;
}

export async function renameGroup(
  trx: Trx,
  viewer: ChatViewer,
  conversation: Conversation,
  name: string,
): Promise<void> {
  await trx.updateTable('conversations').set({ name }).where('id', '=', conversation.id).execute();
  await recordAudit(trx, {
    action: 'chat.conversation_renamed',
    workspaceId: viewer.ctx.workspaceId,
    actorId: myId(viewer),
    target: { type: 'conversation', id: conversation.id },
    changes: { from: conversation.name, to: name },
  });
  await announceMembers(trx, viewer, conversation.id);
}

/** A muted conversation still counts its unread messages in the list, not in the header. */
export async function setMuted(
  trx: Trx,
  viewer: ChatViewer,
  conversationId: string,
  muted: boolean,
): Promise<void> {
  await trx
    .updateTable('conversationMembers')
    .set({ muted })
    .where('conversationId', '=', conversationId)
    .where('userId', '=', myId(viewer))
    .execute();
  await notifyLive(trx, {
    w: viewer.ctx.workspaceId,
    t: inboxTopic(viewer.ctx.workspaceId),
    k: 'read',
    id: myId(viewer),
    s: '',
  });
}

/** Which of these people are members of the conversation (and not muting it). */
export async function membersAmong(
  trx: Trx,
  conversationId: string,
  userIds: string[],
  options: { unmutedOnly?: boolean } = {},
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  let query = trx
    .selectFrom('conversationMembers')
    .select('userId')
    .where('conversationId', '=', conversationId)
    .where('userId', 'in', userIds);
  if (options.unmutedOnly) query = query.where('muted', '=', false);
  return new Set((await query.execute()).map((row) => row.userId));
}
