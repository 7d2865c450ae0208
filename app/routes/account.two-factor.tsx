import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { CurrentPasswordInput, OneTimeCodeInput } from '~/modules/accounts/components';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { passwordConfirmationSchema, twoFactorCodeSchema } from '~/modules/accounts/schema';
import { requireUser } from '~/modules/accounts/session.server';
import {
  beginTwoFactorSetup,
  confirmTwoFactorSetup,
  disableTwoFactor,
  getTwoFactorState,
  regenerateRecoveryCodes,
} from '~/modules/accounts/two-factor.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:twoFactor.title') };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return getTwoFactorState(user.id, user.email);
}

const intentSchema = z.enum(['begin', 'confirm', 'disable', 'regenerate']);

type ActionData = {
  intent: z.infer<typeof intentSchema>;
  result?: FormResult;
  recoveryCodes?: string[];
};

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const intent = intentSchema.safeParse((await readForm(request.clone())).get('intent'));
  if (!intent.success) throw badRequest();
  switch (intent.data) {
    case 'begin':
      await beginTwoFactorSetup(user.id);
      return redirect('/account/two-factor', 303);
    case 'confirm': {
      const submission = await parseForm(request, twoFactorCodeSchema);
      if (submission.status !== 'success') return withIntent('confirm', invalidForm(submission));
      const codes = await confirmTwoFactorSetup(user.id, submission.value.code);
      if (!codes)
        return withIntent(
          'confirm',
          invalidForm(submission, { fieldErrors: { code: ['accounts:validation.codeInvalid'] } }),
        );
      return data<ActionData>({ intent: 'confirm', recoveryCodes: codes });
    }
    case 'disable': {
      const submission = await parseForm(request, passwordConfirmationSchema);
      if (submission.status !== 'success') return withIntent('disable', invalidForm(submission));
      if (!(await disableTwoFactor(user.id, submission.value.currentPassword))) {
        return withIntent(
          'disable',
          invalidForm(submission, {
            fieldErrors: { currentPassword: ['accounts:validation.passwordWrong'] },
          }),
        );
      }
      return redirectWithFlash('/account/two-factor', {
        kind: 'success',
        key: 'accounts:twoFactor.disabled',
      });
    }
    case 'regenerate': {
      const submission = await parseForm(request, passwordConfirmationSchema);
      if (submission.status !== 'success') return withIntent('regenerate', invalidForm(submission));
      const codes = await regenerateRecoveryCodes(user.id, submission.value.currentPassword);
      if (!codes)
        return withIntent(
          'regenerate',
          invalidForm(submission, {
            fieldErrors: { currentPassword: ['accounts:validation.passwordWrong'] },
          }),
        );
      return data<ActionData>({ intent: 'regenerate', recoveryCodes: codes });
    }
  }
}

function withIntent(intent: ActionData['intent'], response: ReturnType<typeof invalidForm>) {
  return data<ActionData>({ intent, result: response.data.result }, response.init ?? undefined);
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const t = useT();
  return (
    <section className="notice" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">{t('accounts:twoFactor.recoveryTitle')}</h2>
      <p>{t('accounts:twoFactor.recoveryIntro')}</p>
      <ul className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <p>
        <a href="/account/two-factor">{t('accounts:twoFactor.savedCodes')}</a>
      </p>
    </section>
  );
}

export default function TwoFactor() {
  const t = useT();
  const twoFactor = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const confirmForm = useFormState(
    'confirm-2fa',
    actionData?.intent === 'confirm' ? actionData.result : undefined,
  );
  const disableForm = useFormState(
    'disable-2fa',
    actionData?.intent === 'disable' ? actionData.result : undefined,
  );
  const regenerateForm = useFormState(
    'regenerate-codes',
    actionData?.intent === 'regenerate' ? actionData.result : undefined,
  );

  if (actionData?.recoveryCodes) {
    return (
      <>
        <PageHeader
          title={t('accounts:twoFactor.title')}
          description={
            actionData.intent === 'confirm' ? t('accounts:twoFactor.enabled') : undefined
          }
        />
        <RecoveryCodes codes={actionData.recoveryCodes} />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={t('accounts:twoFactor.title')}
        description={t('accounts:twoFactor.intro')}
      />
      {twoFactor.state === 'off' ? (
        <form method="post">
          <p>{t('accounts:twoFactor.statusOff')}</p>
          <Button name="intent" value="begin">
            {t('accounts:twoFactor.begin')}
          </Button>
        </form>
      ) : null}

      {twoFactor.state === 'pending' ? (
        <>
          <h2>{t('accounts:twoFactor.scanTitle')}</h2>
          <p>{t('accounts:twoFactor.scanIntro')}</p>
          <figure className="qr">
            {/* The SVG is drawn by our own server from the otpauth URI: no user input inside. */}
            <div
              role="img"
              aria-label={t('accounts:twoFactor.qrLabel')}
              dangerouslySetInnerHTML={{ __html: twoFactor.setup.qrSvg }}
            />
            <figcaption>
              {t('accounts:twoFactor.secretLabel')}{' '}
              <code className="mono">{twoFactor.setup.secret.match(/.{1,4}/g)?.join(' ')}</code>
            </figcaption>
          </figure>
          <ErrorSummary form={confirmForm} />
          <form method="post" id={confirmForm.formId} noValidate>
            <input type="hidden" name="intent" value="confirm" />
            <OneTimeCodeInput field={confirmForm.field('code')} />
            <Button>{t('accounts:twoFactor.confirm')}</Button>
          </form>
        </>
      ) : null}

      {twoFactor.state === 'on' ? (
        <>
          <p>{t('accounts:twoFactor.statusOn', { count: twoFactor.unusedRecoveryCodes })}</p>
          <h2>{t('accounts:twoFactor.regenerateTitle')}</h2>
          <ErrorSummary form={regenerateForm} />
          <form method="post" id={regenerateForm.formId} noValidate>
            <input type="hidden" name="intent" value="regenerate" />
            <CurrentPasswordInput field={regenerateForm.field('currentPassword')} />
            <Button variant="secondary">{t('accounts:twoFactor.regenerate')}</Button>
          </form>
          <h2>{t('accounts:twoFactor.disableTitle')}</h2>
          <ErrorSummary form={disableForm} />
          <form method="post" id={disableForm.formId} noValidate>
            <input type="hidden" name="intent" value="disable" />
            <CurrentPasswordInput field={disableForm.field('currentPassword')} />
            <Button variant="danger">{t('accounts:twoFactor.disable')}</Button>
          </form>
        </>
      ) : null}
    </>
  );
}
