import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData } from '@remix-run/react';
import { changePassword } from '~/modules/accounts/account-settings.server';
import { MIN_PASSWORD_LENGTH } from '~/modules/accounts/passwords.server';
import { changePasswordSchema } from '~/modules/accounts/schema';
import { requireSession } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, TextField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:password.title') };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireSession(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const submission = await parseForm(request, changePasswordSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const changed = await changePassword(
    session.user.id,
    session.id,
    submission.value.currentPassword,
    submission.value.password,
  );
  if (!changed)
    return invalidForm(submission, {
      fieldErrors: { currentPassword: ['accounts:validation.passwordWrong'] },
    });
  return redirectWithFlash('/account/password', {
    kind: 'success',
    key: 'accounts:password.changed',
  });
}

export default function ChangePassword() {
  const t = useT();
  const form = useFormState('password', useActionData<typeof action>()?.result);
  return (
    <>
      <PageHeader title={t('accounts:password.title')} description={t('accounts:password.intro')} />
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <TextField
          field={form.field('currentPassword')}
          label={t('accounts:fields.currentPassword')}
          type="password"
          autoComplete="current-password"
          required
        />
        <TextField
          field={form.field('password')}
          label={t('accounts:fields.newPassword')}
          hint={t('accounts:signUp.passwordHint', { count: MIN_PASSWORD_LENGTH })}
          type="password"
          autoComplete="new-password"
          required
        />
        <TextField
          field={form.field('confirmPassword')}
          label={t('accounts:fields.confirmPassword')}
          type="password"
          autoComplete="new-password"
          required
        />
        <Button>{t('accounts:password.submit')}</Button>
      </form>
    </>
  );
}
