import { appLink } from '~/modules/accounts/mails.server';
import type { Trx } from '~/platform/db/database.server';
import { getT, type T } from '~/platform/i18n/i18n';
import { defaultLocale, type Locale } from '~/platform/i18n/locales';
import type { Mail } from '~/platform/mail/mailer.server';
import { isNotificationKind } from './kinds';

/** The mail schema's limit on a subject; a long task title is cut to fit. */
const SUBJECT_MAX = 200;

/** Cut to at most `max` characters (code points, as Postgres counts them), with an ellipsis. */
export function clip(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}

/**
 * A plain-text email about work in a workspace, in the recipient's language: greeting, the
 * message, sign-off, and why it came with where to turn such email off.
 */
export function workspaceMail(
  recipient: { email: string; name: string | null; locale: Locale | null },
  workspace: string,
  compose: (t: T) => { subject: string; body: string[] },
): Mail {
  const t = getT(recipient.locale ?? defaultLocale);
  const { subject, body } = compose(t);
  return {
    to: recipient.email,
    subject: clip(subject, SUBJECT_MAX),
    text: [
      t('accounts:mail.greeting', { name: recipient.name ?? recipient.email }),
      '',
      ...body,
      '',
      t('accounts:mail.signOff'),
      '',
      t('notifications:mail.footer', { workspace, url: appLink('/account') }),
    ].join('\n'),
  };
}

/**
 * The email for one notification, or null when none should go: read already, unknown, the
 * recipient gone from the workspace or not wanting email. Runs as the recipient (RLS shows a
 * notification to no one else).
 */
export async function notificationMail(trx: Trx, notificationId: string): Promise<Mail | null> {
  const row = await trx
    .selectFrom('notifications')
    .innerJoin('users as recipient', 'recipient.id', 'notifications.userId')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.userId', '=', 'notifications.userId')
        .onRef('memberships.workspaceId', '=', 'notifications.workspaceId'),
    )
    .innerJoin('workspaces', 'workspaces.id', 'notifications.workspaceId')
    .leftJoin('users as actor', 'actor.id', 'notifications.actorId')
    .select([
      'notifications.kind',
      'notifications.title',
      'notifications.excerpt',
      'notifications.path',
      'recipient.email',
      'recipient.name',
      'recipient.locale',
      'actor.name as actorName',
      'workspaces.name as workspaceName',
    ])
    .where('notifications.id', '=', notificationId)
    .where('notifications.readAt', 'is', null)
    .where('recipient.emailNotifications', '=', true)
    .where('recipient.deletedAt', 'is', null)
    .where('memberships.status', '=', 'active')
    .where('workspaces.deletedAt', 'is', null)
    .executeTakeFirst();
  if (!row?.email || !isNotificationKind(row.kind)) return null;
  const { kind, title, excerpt, path, actorName } = row;
  return workspaceMail(
    { email: row.email, name: row.name, locale: row.locale },
    row.workspaceName,
    (t) => {
      const sentence = t(`notifications:kinds.${kind}`, {
        actor: actorName ?? t('notifications:someone'),
        title,
      });
      const quoted = excerpt ? [...excerpt.split('\n').map((line) => `> ${line}`), ''] : [];
      return { subject: sentence, body: [sentence, '', ...quoted, appLink(path)] };
    },
  );
}
