import { z } from 'zod';
import { notificationMail } from '~/modules/notifications/mails.server';
import { withWorkspace } from '~/platform/db/database.server';
import { defineJob, enqueueJob } from '~/platform/jobs/jobs.server';
import { sendMailNow } from '~/platform/mail/mailer.server';

/** Mail about a mention waits until its reader has been away this long. */
export const AWAY_BEFORE_MAIL_MS = 10 * 60_000;
/** Someone who stays around this long without opening the mention has chosen not to: no mail. */
const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

/**
 * The email for a chat mention, sent only once its reader has been away for ten minutes (no
 * open page, and last seen that long ago) and has not read it in the meantime. Someone still
 * around is asked again when ten minutes after they were last seen have passed; "do not
 * disturb" holds mail back the same way. The mail itself is the notification's (language,
 * preference and "already read" are checked when it is composed).
 */
export const mentionEmailJob = defineJob({
  name: 'chat.mention-email',
  payload: z.object({ workspaceId: z.uuid(), userId: z.uuid(), notificationId: z.uuid() }),
  maxAttempts: 8,
  async run({ workspaceId, userId, notificationId }) {
    await withWorkspace({ userId, workspaceId }, async (trx) => {
      const state = await trx
        .selectFrom('notifications')
        .leftJoin('presence', (join) =>
          join
            .onRef('presence.userId', '=', 'notifications.userId')
            .onRef('presence.workspaceId', '=', 'notifications.workspaceId'),
        )
        .select([
          'notifications.readAt',
          'notifications.createdAt',
          'presence.onlineUntil',
          'presence.lastSeenAt',
          'presence.doNotDisturb',
        ])
        .where('notifications.id', '=', notificationId)
        .executeTakeFirst();
      if (!state || state.readAt) return;
      const now = Date.now();
      const lastSeen = Math.max(
        state.lastSeenAt?.getTime() ?? 0,
        state.onlineUntil && state.onlineUntil.getTime() > now ? now : 0,
      );
      const awayLongEnough = now - lastSeen >= AWAY_BEFORE_MAIL_MS && !state.doNotDisturb;
      if (awayLongEnough) {
        const mail = await notificationMail(trx, notificationId);
        if (mail) await sendMailNow(mail);
        return;
      }
      if (now - state.createdAt.getTime() > GIVE_UP_AFTER_MS) return;
      await enqueueJob(
        trx,
        mentionEmailJob,
        { workspaceId, userId, notificationId },
        {
          runAt: new Date(Math.max(lastSeen, now) + AWAY_BEFORE_MAIL_MS),
          jobKey: `chat-mention-mail:${notificationId}`,
        },
      );
    });
  },
});
