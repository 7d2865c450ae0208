import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { EmailInput, NewPasswordInput } from '~/modules/accounts/components';
import { useActionData } from '@remix-run/react';
import { signUp } from '~/modules/accounts/identity.server';
import { signUpSchema } from '~/modules/accounts/schema';
import { getCurrentSession } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';
import { invalidForm, parseForm } from '~/platform/forms.server';
import { requestLocale } from '~/platform/i18n/request-locale.server';
import type { RouteHandle } from '~/platform/page-title';
import { consumeLimit } from '~/platform/rate-limit.server';
import { currentRequestContext } from '~/platform/request-context.server';
import { Button } from '~/ui/button';
import { ErrorSummary, TextField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:signUp.title') };

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getCurrentSession(request, context)) throw redirect('/');
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await consumeLimit('signUpByIp', currentRequestContext()?.ip ?? 'unknown');
  const submission = await parseForm(request, signUpSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  await signUp(submission.value, await requestLocale(request));
  return redirect(`/verify-email?${new URLSearchParams({ sent: submission.value.email })}`, 303);
}

export default function SignUp() {
  const t = useT();
  const form = useFormState('sign-up', useActionData<typeof action>()?.result);
  return (
    <div className="narrow">
      <PageHeader title={t('accounts:signUp.title')} description={t('accounts:signUp.intro')} />
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <TextField
          field={form.field('name')}
          label={t('accounts:fields.name')}
          autoComplete="name"
          required
        />
        <EmailInput field={form.field('email')} />
        <NewPasswordInput field={form.field('password')} />
        <Button>{t('accounts:signUp.submit')}</Button>
      </form>
      <p>
        {t('accounts:signUp.haveAccount')} <a href="/login">{t('accounts:signUp.signInLink')}</a>
      </p>
    </div>
  );
}
