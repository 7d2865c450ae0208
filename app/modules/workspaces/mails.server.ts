import type { Trx, WorkspaceContext } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import { getT } from '~/platform/i18n/i18n';
import type { Locale } from '~/platform/i18n/locales';
import type { Mail } from '~/platform/mail/mailer.server';

export async function invitationMail(
  trx: Trx,
  ctx: WorkspaceContext,
  to: string,
  role: WorkspaceRole,
  url: string,
  locale: Locale,
): Promise<Mail> {
  const t = getT(locale);
  const workspace = await trx
    .selectFrom('workspaces')
    .select('name')
    .where('id', '=', ctx.workspaceId)
    .executeTakeFirstOrThrow();
  const inviter = ctx.userId
    ? await trx.selectFrom('users').select('name').where('id', '=', ctx.userId).executeTakeFirst()
    : undefined;
  const values = {
    workspace: workspace.name,
    inviter: inviter?.name ?? 'Workroom',
    role: t(`workspaces:roles.${role}`),
  };
  return {
    to,
    subject: t('workspaces:mail.invitation.subject', values),
    text: [
      t('workspaces:mail.invitation.body', values),
      '',
      url,
      '',
      t('workspaces:mail.invitation.expiry'),
      '',
      t('accounts:mail.signOff'),
    ].join('\n'),
  };
}
