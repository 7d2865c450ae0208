import { z } from 'zod';
import { recordAudit } from '~/modules/audit/record.server';
import { withSystem, type Trx } from '~/platform/db/database.server';
import { locales } from '~/platform/i18n/locales';
import { defineJob, enqueueJob } from '~/platform/jobs/jobs.server';
import { sendMailNow, type Mail } from '~/platform/mail/mailer.server';
import { accountMail, appLink } from './mails.server';
import { issueUserToken } from './user-tokens.server';

/**
 * Mail that carries a secret link is composed by the job that sends it: the request only
 * enqueues, so it does the same work (and takes the same time) whether or not the address
 * has an account, the token never sits in a job payload, and a retried job sends a link
 * that is fresh from the moment it is sent.
 */
const linkMailPayload = z.discriminatedUnion('purpose', [
  z.object({ purpose: z.literal('verify_email'), email: z.string(), locale: z.enum(locales) }),
  z.object({ purpose: z.literal('reset_password'), email: z.string(), locale: z.enum(locales) }),
  z.object({
    purpose: z.literal('change_email'),
    userId: z.uuid(),
    newEmail: z.string(),
    locale: z.enum(locales),
  }),
]);
export type LinkMail = z.infer<typeof linkMailPayload>;

export const linkMailJob = defineJob({
  name: 'accounts.link-mail',
  payload: linkMailPayload,
  maxAttempts: 8,
  async run(payload) {
    const mail = await withSystem(null, (trx) => composeLinkMail(trx, payload));
    if (mail) await sendMailNow(mail);
  },
});

export function queueLinkMail(trx: Trx, payload: LinkMail): Promise<void> {
  return enqueueJob(trx, linkMailJob, payload);
}

async function composeLinkMail(trx: Trx, payload: LinkMail): Promise<Mail | null> {
  if (payload.purpose === 'change_email') {
    const user = await trx
      .selectFrom('users')
      .select(['name', 'deletedAt'])
      .where('id', '=', payload.userId)
      .executeTakeFirst();
    if (!user || user.deletedAt) return null;
    const taken = await trx
      .selectFrom('users')
      .select(['name', 'locale'])
      .where('email', '=', payload.newEmail)
      .executeTakeFirst();
    if (taken) {
      // Someone else's address: its owner is told, and the answer to the asker stayed the same.
      return accountMail('accountExists', taken.locale ?? payload.locale, payload.newEmail, {
        name: taken.name ?? '',
        url: appLink('/forgot-password'),
      });
    }
    const token = await issueUserToken(trx, payload.userId, 'change_email', payload.newEmail);
    return accountMail('changeEmail', payload.locale, payload.newEmail, {
      name: user.name ?? '',
      url: appLink(`/account/email/${token}`),
      email: payload.newEmail,
    });
  }

  const user = await trx
    .selectFrom('users')
    .select(['id', 'name', 'locale', 'emailVerifiedAt'])
    .where('email', '=', payload.email)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (!user) return null;
  const locale = user.locale ?? payload.locale;
  if (payload.purpose === 'verify_email') {
    if (user.emailVerifiedAt) return null;
    const token = await issueUserToken(trx, user.id, 'verify_email');
    return accountMail('verifyEmail', locale, payload.email, {
      name: user.name ?? '',
      url: appLink(`/verify-email/${token}`),
    });
  }
  const token = await issueUserToken(trx, user.id, 'reset_password');
  await recordAudit(trx, {
    action: 'account.password_reset_requested',
    workspaceId: null,
    actorId: user.id,
    actorLabel: payload.email,
  });
  return accountMail('resetPassword', locale, payload.email, {
    name: user.name ?? '',
    url: appLink(`/reset-password/${token}`),
  });
}
