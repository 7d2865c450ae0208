import type { Trx } from '~/platform/db/database.server';
import { renderFragment } from '~/platform/fragment.server';
import { defineTopic, type SseMessage, type Viewer } from '~/platform/live/topics.server';
import { NotificationCount } from './components';
import { countUnreadIn, UNREAD_COUNT_CAP } from './notifications.server';

const CREATED = 'notification.created';

/** The header's count as it is now, to swap out of band (idempotent: a repeat does no harm). */
async function currentCount(trx: Trx, viewer: Viewer, seq: string): Promise<SseMessage> {
  const [workspace, unread] = await Promise.all([
    trx
      .selectFrom('workspaces')
      .select('slug')
      .where('id', '=', viewer.workspaceId)
      .executeTakeFirstOrThrow(),
    countUnreadIn(trx, viewer.userId, viewer.workspaceId),
  ]);
  return {
    event: CREATED,
    id: seq,
    data: renderFragment(
      viewer,
      <NotificationCount slug={workspace.slug} unread={unread} cap={UNREAD_COUNT_CAP} oob />,
    ),
  };
}

/** "notifications:<userId>": my own notifications only; the event carries the new count. */
defineTopic({
  kind: 'notifications',
  authorize: async (_trx, viewer, id) => id === viewer.userId,
  render: (trx, viewer, event) => currentCount(trx, viewer, event.s),
  async replay(trx, viewer, _id, afterSeq) {
    const newest = await trx
      .selectFrom('notifications')
      .select((eb) => eb.fn.max('liveSeq').as('seq'))
      .where('userId', '=', viewer.userId)
      .where('workspaceId', '=', viewer.workspaceId)
      .where('liveSeq', '>', afterSeq)
      .executeTakeFirst();
    return newest?.seq ? [await currentCount(trx, viewer, String(newest.seq))] : [];
  },
});
