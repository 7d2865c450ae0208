import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { EmailInput } from '~/modules/accounts/components';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requestPasswordReset } from '~/modules/accounts/identity.server';
import { emailOnlySchema } from '~/modules/accounts/schema';
import { useT } from '~/platform/document-context';
import { invalidForm, parseForm } from '~/platform/forms.server';
import { requestLocale } from '~/platform/i18n/request-locale.server';
import type { RouteHandle } from '~/platform/page-title';
import { consumeLimit } from '~/platform/rate-limit.server';
import { currentRequestContext } from '~/platform/request-context.server';
import { Button } from '~/ui/button';
import { ErrorSummary, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:forgot.title') };

export async function loader({ request }: LoaderFunctionArgs) {
  const sent = new URL(request.url).searchParams.get('sent');
  return { sent: sent && sent.length <= 254 ? sent : null };
}

export async function action({ request }: ActionFunctionArgs) {
  await consumeLimit('passwordResetByIp', currentRequestContext()?.ip ?? 'unknown');
  const submission = await parseForm(request, emailOnlySchema);
  if (submission.status !== 'success') return invalidForm(submission);
  await consumeLimit('passwordResetByEmail', submission.value.email);
  await requestPasswordReset(submission.value.email, await requestLocale(request));
  return redirect(`/forgot-password?${new URLSearchParams({ sent: submission.value.email })}`, 303);
}

export default function ForgotPassword() {
  const t = useT();
  const { sent } = useLoaderData<typeof loader>();
  const form = useFormState('forgot', useActionData<typeof action>()?.result);
  return (
    <div className="narrow">
      <PageHeader title={t('accounts:forgot.title')} />
      {sent ? (
        <div className="notice" role="status">
          <p>{t('accounts:forgot.sent', { email: sent })}</p>
        </div>
      ) : (
        <p>{t('accounts:forgot.intro')}</p>
      )}
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <EmailInput field={form.field('email')} />
        <Button>{t('accounts:forgot.submit')}</Button>
      </form>
      <p>
        <a href="/login">{t('accounts:forgot.backToSignIn')}</a>
      </p>
    </div>
  );
}
