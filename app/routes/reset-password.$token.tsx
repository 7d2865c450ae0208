import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { ConfirmPasswordInput, NewPasswordInput } from '~/modules/accounts/components';
import { useActionData, useLoaderData } from '@remix-run/react';
import { isResetTokenValid, resetPassword } from '~/modules/accounts/identity.server';
import { resetPasswordSchema } from '~/modules/accounts/schema';
import { clearSessionCookie } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:reset.title') };

export async function loader({ params }: LoaderFunctionArgs) {
  const valid = await isResetTokenValid(params.token ?? '');
  return data({ valid }, { status: valid ? 200 : 410 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const submission = await parseForm(request, resetPasswordSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  if (!(await resetPassword(params.token ?? '', submission.value.password))) {
    return invalidForm(submission, { formError: 'accounts:reset.invalid' });
  }
  const headers = new Headers({ 'Set-Cookie': await clearSessionCookie() });
  return redirectWithFlash('/login', { kind: 'success', key: 'accounts:reset.done' }, { headers });
}

export default function ResetPassword() {
  const t = useT();
  const { valid } = useLoaderData<typeof loader>();
  const form = useFormState('reset', useActionData<typeof action>()?.result);
  if (!valid) {
    return (
      <div className="narrow">
        <PageHeader title={t('accounts:reset.invalidTitle')} />
        <p>{t('accounts:reset.invalid')}</p>
        <p>
          <a href="/forgot-password">{t('accounts:reset.again')}</a>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <PageHeader title={t('accounts:reset.title')} />
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <NewPasswordInput field={form.field('password')} />
        <ConfirmPasswordInput field={form.field('confirmPassword')} />
        <Button>{t('accounts:reset.submit')}</Button>
      </form>
    </div>
  );
}
