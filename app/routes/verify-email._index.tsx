import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { EmailInput } from '~/modules/accounts/components';
import { useActionData, useLoaderData } from '@remix-run/react';
import { resendVerification } from '~/modules/accounts/identity.server';
import { emailOnlySchema } from '~/modules/accounts/schema';
import { getCurrentSession } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';
import { invalidForm, parseForm } from '~/platform/forms.server';
import { requestLocale } from '~/platform/i18n/request-locale.server';
import type { RouteHandle } from '~/platform/page-title';
import { consumeLimit } from '~/platform/rate-limit.server';
import { Button } from '~/ui/button';
import { ErrorSummary, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:verify.checkInboxTitle') };

/** "Check your inbox", and a form to send the link again (the same answer for any address). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request, context);
  const sent = new URL(request.url).searchParams.get('sent');
  return {
    sent: sent && sent.length <= 254 ? sent : null,
    email: session?.user.emailVerified === false ? session.user.email : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = await parseForm(request, emailOnlySchema);
  if (submission.status !== 'success') return invalidForm(submission);
  await consumeLimit('verificationByEmail', submission.value.email);
  await resendVerification(submission.value.email, await requestLocale(request));
  return redirect(`/verify-email?${new URLSearchParams({ sent: submission.value.email })}`, 303);
}

export default function CheckInbox() {
  const t = useT();
  const { sent, email } = useLoaderData<typeof loader>();
  const form = useFormState('resend', useActionData<typeof action>()?.result, {
    email: sent ?? email ?? '',
  });
  return (
    <div className="narrow">
      <PageHeader title={t('accounts:verify.checkInboxTitle')} />
      {sent ? (
        <div className="notice" role="status">
          <p>{t('accounts:verify.sent', { email: sent })}</p>
        </div>
      ) : null}
      <p>{t('accounts:verify.explain')}</p>
      <h2>{t('accounts:verify.resendTitle')}</h2>
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <EmailInput field={form.field('email')} />
        <Button variant="secondary">{t('accounts:verify.resend')}</Button>
      </form>
    </div>
  );
}
