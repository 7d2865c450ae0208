import { getEnv } from '~/platform/env.server';
import { getT } from '~/platform/i18n/i18n';
import type { Locale } from '~/platform/i18n/locales';
import type { Mail } from '~/platform/mail/mailer.server';

/** Absolute links for mail: APP_URL, since a job has no request to take a host from. */
export const appLink = (path: string) => `${getEnv().appUrl}${path}`;

type AccountMail =
  'verifyEmail' | 'accountExists' | 'resetPassword' | 'changeEmail' | 'emailChangedNotice';

/** A plain-text mail in the recipient's language: greeting, body, the link, and a sign-off. */
export function accountMail(
  kind: AccountMail,
  locale: Locale,
  to: string,
  values: { name: string; url?: string; email?: string },
): Mail {
  const t = getT(locale);
  const body = t(`accounts:mail.${kind}.body`, values);
  const text = [
    t('accounts:mail.greeting', { name: values.name }),
    '',
    body,
    '',
    values.url ?? '',
    '',
    t('accounts:mail.signOff'),
  ]
    .filter((line, index, lines) => !(line === '' && lines[index - 1] === ''))
    .join('\n');
  return { to, subject: t(`accounts:mail.${kind}.subject`), text };
}
