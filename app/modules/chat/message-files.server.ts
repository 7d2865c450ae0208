import { sql, type SqlBool } from 'kysely';
import { defineFileOwner } from '~/modules/files/owners.server';
import { roleAtLeast } from '~/modules/workspaces/roles';

/**
 * Files attached to chat messages: seen by the conversation's members alone (the message is
 * invisible to anyone else under RLS), attached by them as they post.
 */
export const messageFilesOwner = defineFileOwner({
  kind: 'message',
  visibleTo: (viewer) =>
    sql<SqlBool>`files.owner_id in (select m.id from messages m where m.deleted_at is null and m.conversation_id in
      (select cm.conversation_id from conversation_members cm where cm.user_id = ${viewer.ctx.userId}))`,
  ownerName: sql<string>`(select coalesce(c.name, p.name, '') from messages m join conversations c on c.id = m.conversation_id
    left join projects p on p.id = c.project_id where m.id = files.owner_id)`,
  async canSee(trx, _viewer, messageId) {
    const message = await trx
      .selectFrom('messages')
      .select('id')
      .where('id', '=', messageId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    return Boolean(message);
  },
  async canAttach(trx, viewer, messageId) {
    const message = await trx
      .selectFrom('messages')
      .select('authorId')
      .where('id', '=', messageId)
      .executeTakeFirst();
    return message?.authorId === viewer.ctx.userId;
  },
  // A message's files go with the message: its author or an admin deletes it, not the file.
  canManage: (viewer) => roleAtLeast(viewer.role, 'admin'),
});
