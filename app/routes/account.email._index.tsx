import { CurrentPasswordInput } from '~/modules/accounts/components';
import { getReader } from '~/modules/accounts/reader.server';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requestEmailChange } from '~/modules/accounts/account-settings.server';
import { changeEmailSchema } from '~/modules/accounts/schema';
import { requireUser } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { consumeLimit } from '~/platform/rate-limit.server';
import { Button } from '~/ui/button';
import { ErrorSummary, TextField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:email.title') };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { email: user.email, verified: user.emailVerified };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const reader = await getReader(request, context);
  const user = await requireUser(request, context);
  const submission = await parseForm(request, changeEmailSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  if (submission.value.email === user.email.toLowerCase())
    return invalidForm(submission, {
      fieldErrors: { email: ['accounts:validation.emailUnchanged'] },
    });
  await consumeLimit('verificationByEmail', submission.value.email);
  const ok = await requestEmailChange(
    user.id,
    submission.value.currentPassword,
    submission.value.email,
    reader.locale,
  );
  if (!ok)
    return invalidForm(submission, {
      fieldErrors: { currentPassword: ['accounts:validation.passwordWrong'] },
    });
  return redirectWithFlash('/account/email', {
    kind: 'info',
    key: 'accounts:email.sent',
    values: { email: submission.value.email },
  });
}

export default function ChangeEmail() {
  const t = useT();
  const { email, verified } = useLoaderData<typeof loader>();
  const form = useFormState('email', useActionData<typeof action>()?.result);
  return (
    <>
      <PageHeader
        title={t('accounts:email.title')}
        description={t('accounts:email.current', { email })}
      />
      {!verified ? (
        <div className="notice">
          <p>{t('accounts:email.unverified')}</p>
          <a href="/verify-email">{t('accounts:verify.resendTitle')}</a>
        </div>
      ) : null}
      <p>{t('accounts:email.intro')}</p>
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <TextField
          field={form.field('email')}
          label={t('accounts:fields.newEmail')}
          type="email"
          autoComplete="email"
          spellCheck={false}
          required
        />
        <CurrentPasswordInput field={form.field('currentPassword')} />
        <Button>{t('accounts:email.submit')}</Button>
      </form>
    </>
  );
}
