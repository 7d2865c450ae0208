import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { EmailInput } from '~/modules/accounts/components';
import { useActionData, useSearchParams } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { authenticator } from '~/modules/accounts/authenticator.server';
import { signInSchema } from '~/modules/accounts/schema';
import { getCurrentSession, safeRedirectPath } from '~/modules/accounts/session.server';
import { beginSecondFactor } from '~/modules/accounts/two-factor.server';
import { useT } from '~/platform/document-context';
import { formRequest, invalidForm, readForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { consumeLimit, resetLimit } from '~/platform/rate-limit.server';
import { currentRequestContext } from '~/platform/request-context.server';
import { Button } from '~/ui/button';
import { ErrorSummary, TextField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:signIn.title') };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request, context);
  if (session)
    throw redirect(safeRedirectPath(new URL(request.url).searchParams.get('redirectTo')));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await consumeLimit('signInByIp', currentRequestContext()?.ip ?? 'unknown');
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: signInSchema });
  if (submission.status !== 'success') return invalidForm(submission);
  const { email, redirectTo } = submission.value;
  // Counted per address whether or not it has an account: the limit reveals nothing.
  await consumeLimit('signInByAccount', email);
  const result = await authenticator.authenticate('password', formRequest(request, form));
  if (result.kind === 'invalid')
    return invalidForm(submission, { formError: 'accounts:signIn.invalid' });
  if (result.kind === 'unverified')
    return invalidForm(submission, { formError: 'accounts:signIn.unverified' });
  await resetLimit('signInByAccount', email);
  const next = safeRedirectPath(redirectTo);
  const headers = new Headers();
  if (result.kind === 'two_factor') {
    headers.append('Set-Cookie', await beginSecondFactor(result.userId, next));
    return redirect('/login/two-factor', { status: 303, headers });
  }
  headers.append('Set-Cookie', result.setCookie);
  return redirect(next, { status: 303, headers });
}

export default function SignIn() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const form = useFormState('sign-in', actionData?.result, {
    redirectTo: searchParams.get('redirectTo') ?? '',
  });
  return (
    <div className="narrow">
      <PageHeader title={t('accounts:signIn.title')} />
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <input
          type="hidden"
          name="redirectTo"
          value={form.field('redirectTo').defaultValue ?? ''}
        />
        <EmailInput field={form.field('email')} autoComplete="username" />
        <TextField
          field={form.field('password')}
          label={t('accounts:fields.password')}
          type="password"
          autoComplete="current-password"
          required
        />
        <div className="button-row">
          <Button>{t('accounts:signIn.submit')}</Button>
          <a href="/forgot-password">{t('accounts:signIn.forgot')}</a>
        </div>
      </form>
      <p>
        {t('accounts:signIn.noAccount')} <a href="/signup">{t('accounts:signIn.signUpLink')}</a>
      </p>
      <p>
        <a href="/verify-email">{t('accounts:signIn.resendVerification')}</a>
      </p>
    </div>
  );
}
