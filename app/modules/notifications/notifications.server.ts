import { sql } from 'kysely';
import { registerPersonalData } from '~/modules/accounts/personal-data.server';
import { recordAudit } from '~/modules/audit/record.server';
import type { Member } from '~/modules/workspaces/queries.server';
import { enterWorkspace, withSystem, withWorkspace, type Trx } from '~/platform/db/database.server';

export const NOTIFICATIONS_PAGE_SIZE = 25;
/** The header counts this far and then says "99+": the count stays a short index scan. */
export const UNREAD_COUNT_CAP = 99;

/** The person reading their own notifications in one workspace. */
type Recipient = Pick<Member, 'ctx' | 'user'>;

export async function listNotifications(
  recipient: Recipient,
  options: { page: number; unreadOnly: boolean },
) {
  return withWorkspace(recipient.ctx, async (trx) => {
    let mine = trx
      .selectFrom('notifications')
      .where('notifications.userId', '=', recipient.user.id)
      .where('notifications.workspaceId', '=', recipient.ctx.workspaceId);
    if (options.unreadOnly) mine = mine.where('notifications.readAt', 'is', null);
    const [rows, total] = await Promise.all([
      mine
        .leftJoin('users as actor', 'actor.id', 'notifications.actorId')
        .select([
          'notifications.id',
          'notifications.kind',
          'notifications.title',
          'notifications.excerpt',
          'notifications.createdAt',
          'notifications.readAt',
          'actor.name as actorName',
        ])
        .orderBy('notifications.createdAt', 'desc')
        .orderBy('notifications.id')
        .limit(NOTIFICATIONS_PAGE_SIZE)
        .offset((options.page - 1) * NOTIFICATIONS_PAGE_SIZE)
        .execute(),
      mine
        .select((eb) => [eb.fn.countAll<string>().as('count'), sql<Date>`now()`.as('asOf')])
        .executeTakeFirstOrThrow(),
    ]);
    // The database's clock, not this server's: "mark all as read" compares it with created_at.
    return { rows, total: Number(total.count), asOf: total.asOf };
  });
}

/** Unread notifications in this workspace, counted up to UNREAD_COUNT_CAP + 1 (see the cap). */
export async function countUnreadIn(trx: Trx, userId: string, workspaceId: string) {
  const row = await trx
    .selectFrom((eb) =>
      eb
        .selectFrom('notifications')
        // No column: the partial index notifications_unread alone answers.
        .select(sql<number>`1`.as('one'))
        .where('userId', '=', userId)
        .where('workspaceId', '=', workspaceId)
        .where('readAt', 'is', null)
        .limit(UNREAD_COUNT_CAP + 1)
        .as('unread'),
    )
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Marks one of my notifications read and answers where it leads; null if it is not mine. */
export async function openNotification(recipient: Recipient, id: string): Promise<string | null> {
  const row = await withWorkspace(recipient.ctx, (trx) =>
    trx
      .updateTable('notifications')
      // The first reading counts: opening it again keeps that time.
      .set((eb) => ({ readAt: eb.fn.coalesce('readAt', eb.val(new Date())) }))
      .where('id', '=', id)
      .where('userId', '=', recipient.user.id)
      .returning('path')
      .executeTakeFirst(),
  );
  return row?.path ?? null;
}

/**
 * Marks read everything that had arrived when the page was shown: one that arrives while the
 * reader decides stays unread.
 */
export async function markAllRead(recipient: Recipient, shownAt: Date): Promise<void> {
  await withWorkspace(recipient.ctx, (trx) =>
    trx
      .updateTable('notifications')
      .set({ readAt: new Date() })
      .where('userId', '=', recipient.user.id)
      .where('workspaceId', '=', recipient.ctx.workspaceId)
      .where('readAt', 'is', null)
      .where('createdAt', '<=', shownAt)
      .execute(),
  );
}

async function wantsEmailIn(trx: Trx, userId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('users')
    .select('emailNotifications')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.emailNotifications;
}

/** Does this person want email about mentions, assignments and task reminders? */
export function wantsEmail(userId: string): Promise<boolean> {
  return withSystem(userId, (trx) => wantsEmailIn(trx, userId));
}

export async function setWantsEmail(userId: string, wanted: boolean): Promise<void> {
  await withSystem(userId, async (trx) => {
    const changed = await trx
      .updateTable('users')
      .set({ emailNotifications: wanted })
      .where('id', '=', userId)
      .where('emailNotifications', '!=', wanted)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) > 0)
      await recordAudit(trx, {
        action: 'account.profile_updated',
        workspaceId: null,
        actorId: userId,
        changes: { emailNotifications: { from: !wanted, to: wanted } },
      });
  });
}

/** My email setting and the notifications I received, per workspace. */
registerPersonalData({
  name: 'notifications',
  collect: (userId) =>
    withSystem(userId, async (trx) => {
      const emailNotifications = await wantsEmailIn(trx, userId);
      const workspaces = await trx
        .selectFrom('memberships')
        .innerJoin('workspaces', 'workspaces.id', 'memberships.workspaceId')
        .select(['workspaces.id', 'workspaces.slug'])
        .where('memberships.userId', '=', userId)
        .execute();
      const received = [];
      for (const workspace of workspaces) {
        await enterWorkspace(trx, workspace.id);
        const rows = await trx
          .selectFrom('notifications')
          .select(['kind', 'title', 'excerpt', 'path', 'createdAt', 'readAt'])
          .where('userId', '=', userId)
          .orderBy('createdAt')
          .execute();
        received.push(...rows.map((row) => ({ workspace: workspace.slug, ...row })));
      }
      await enterWorkspace(trx, null);
      return { emailNotifications, received };
    }),
});
