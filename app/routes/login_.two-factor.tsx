import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { OneTimeCodeInput } from '~/modules/accounts/components';
import { useActionData } from '@remix-run/react';
import { twoFactorCodeSchema } from '~/modules/accounts/schema';
import {
  clearSecondFactor,
  completeSecondFactor,
  pendingSecondFactor,
} from '~/modules/accounts/two-factor.server';
import { useT } from '~/platform/document-context';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { consumeLimit, resetLimit } from '~/platform/rate-limit.server';
import { Button } from '~/ui/button';
import { ErrorSummary, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:twoFactor.signInTitle') };

export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await pendingSecondFactor(request))) throw redirect('/login');
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const pending = await pendingSecondFactor(request);
  if (!pending) throw redirect('/login', 303);
  await consumeLimit('twoFactorByAccount', pending.userId);
  const submission = await parseForm(request, twoFactorCodeSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const sessionCookie = await completeSecondFactor(pending.userId, submission.value.code);
  if (!sessionCookie)
    return invalidForm(submission, { fieldErrors: { code: ['accounts:validation.codeInvalid'] } });
  await resetLimit('twoFactorByAccount', pending.userId);
  const headers = new Headers();
  headers.append('Set-Cookie', sessionCookie);
  headers.append('Set-Cookie', await clearSecondFactor());
  return redirect(pending.redirectTo, { status: 303, headers });
}

export default function TwoFactorSignIn() {
  const t = useT();
  const form = useFormState('two-factor', useActionData<typeof action>()?.result);
  return (
    <div className="narrow">
      <PageHeader
        title={t('accounts:twoFactor.signInTitle')}
        description={t('accounts:twoFactor.signInIntro')}
      />
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <OneTimeCodeInput field={form.field('code')} />
        <Button>{t('accounts:twoFactor.verify')}</Button>
      </form>
      <p>
        <a href="/login">{t('accounts:twoFactor.startOver')}</a>
      </p>
    </div>
  );
}
