import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import {
  ConfirmPasswordInput,
  CurrentPasswordInput,
  NewPasswordInput,
} from '~/modules/accounts/components';
import { useActionData } from '@remix-run/react';
import { changePassword } from '~/modules/accounts/account-settings.server';
import { changePasswordSchema } from '~/modules/accounts/schema';
import { requireSession } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, useFormState } from '~/ui/form';
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
        <CurrentPasswordInput field={form.field('currentPassword')} />
        <NewPasswordInput field={form.field('password')} />
        <ConfirmPasswordInput field={form.field('confirmPassword')} />
        <Button>{t('accounts:password.submit')}</Button>
      </form>
    </>
  );
}
