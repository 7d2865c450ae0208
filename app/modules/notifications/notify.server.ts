import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { withWorkspace, type Trx } from '~/platform/db/database.server';
import { defineJob, enqueueJob } from '~/platform/jobs/jobs.server';
import { notifyLive } from '~/platform/live/notify.server';
import { sendMailNow } from '~/platform/mail/mailer.server';
import { notificationKinds, type NotificationKind } from './kinds';
import { clip, notificationMail } from './mails.server';

/** The live topic of one person's notifications (the header's unread count follows it). */
export const notificationsTopic = (userId: string) => `notifications:${userId}`;

/** The database's limits on the texts (a title or an excerpt cut short, never refused). */
const TITLE_MAX = 300;
const EXCERPT_MAX = 500;

/**
 * Tells a person that something happened to them, inside the caller's transaction: the row,
 * the live event for their header, and (for mailed kinds) the job that emails them. If the
 * transaction rolls back, none of it happened. Nobody is notified of their own doing, and only
 * active members of the workspace are notified at all. Answers the notification's id, or null
 * when nobody was notified.
 */
export async function notify(
  trx: Trx,
  notification: {
    workspaceId: string;
    userId: string;
    actorId: string | null;
    kind: NotificationKind;
    title: string;
    excerpt?: string;
    /** Where the notification leads: a path in the app, "/w/acme/tasks/SPRING-12". */
    path: string;
  },
): Promise<string | null> {
  const { workspaceId, userId, actorId, kind, path } = notification;
  if (userId === actorId) return null;
  const member = await trx
    .selectFrom('memberships')
    .select('userId')
    .where('workspaceId', '=', workspaceId)
    .where('userId', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!member) return null;
  // Only the recipient may read the row back (RLS), so the id and sequence number are chosen
  // here rather than returned by the insert.
  const id = randomUUID();
  const { rows } = await sql<{ seq: string }>`select nextval('live_seq')::text as seq`.execute(trx);
  const seq = rows[0]!.seq;
  await trx
    .insertInto('notifications')
    .values({
      id,
      workspaceId,
      userId,
      actorId,
      kind,
      title: clip(notification.title, TITLE_MAX),
      excerpt: notification.excerpt ? clip(notification.excerpt, EXCERPT_MAX) : null,
      path,
      liveSeq: seq,
    })
    .execute();
  await notifyLive(trx, {
    w: workspaceId,
    t: notificationsTopic(userId),
    k: 'notification.created',
    id,
    s: seq,
  });
  if (notificationKinds[kind].mailed)
    await enqueueJob(trx, notificationEmailJob, { workspaceId, userId, notificationId: id });
  return id;
}

/**
 * The email for one notification, composed when it is sent: the recipient's preference,
 * address and language as they are then. Nothing goes out if they turned email off, left the
 * workspace, or have already read the notification in the app.
 */
export const notificationEmailJob = defineJob({
  name: 'notifications.email',
  // workspaceId in the payload: a failure shows on that workspace's background-jobs page.
  payload: z.object({ workspaceId: z.uuid(), userId: z.uuid(), notificationId: z.uuid() }),
  maxAttempts: 8,
  async run({ workspaceId, userId, notificationId }) {
    const mail = await withWorkspace({ userId, workspaceId }, (trx) =>
      notificationMail(trx, notificationId),
    );
    if (mail) await sendMailNow(mail);
  },
});
