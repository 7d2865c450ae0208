import { NewPasswordInput } from '~/modules/accounts/components';
import { getReader } from '~/modules/accounts/reader.server';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { hasVerifiedAccount } from '~/modules/accounts/identity.server';
import { nameField, newPasswordField } from '~/modules/accounts/schema';
import { getCurrentSession } from '~/modules/accounts/session.server';
import {
  acceptInvitation,
  joinWithNewAccount,
  viewInvitation,
} from '~/modules/workspaces/invitations.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { consumeLimit } from '~/platform/rate-limit.server';
import { currentRequestContext } from '~/platform/request-context.server';
import { Button } from '~/ui/button';
import { ErrorSummary, TextField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';
import { z } from 'zod';

export const handle: RouteHandle = { title: (t) => t('workspaces:invitation.title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const invitation = await viewInvitation(params.token ?? '');
  if (!invitation)
    return data({ invitation: null, signedInAs: null, hasAccount: false }, { status: 410 });
  const session = await getCurrentSession(request, context);
  return {
    invitation: {
      workspaceName: invitation.workspaceName,
      email: invitation.email,
      role: invitation.role,
      invitedByName: invitation.invitedByName,
    },
    signedInAs: session?.user.email ?? null,
    hasAccount: await hasVerifiedAccount(invitation.email),
  };
}

const newAccountSchema = z.object({ name: nameField, password: newPasswordField });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const token = params.token ?? '';
  const here = `/invitations/${encodeURIComponent(token)}`;
  const session = await getCurrentSession(request, context);
  if (session) {
    const accepted = await acceptInvitation(token, session.user);
    if (accepted.kind === 'joined') {
      return redirectWithFlash(`/w/${accepted.slug}`, {
        kind: 'success',
        key: 'workspaces:invitation.joined',
      });
    }
    throw redirect(here, 303);
  }
  // A new account from the invitation: the link proved the address, so no verification mail.
  await consumeLimit('signUpByIp', currentRequestContext()?.ip ?? 'unknown');
  const submission = await parseForm(request, newAccountSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const reader = await getReader(request, context);
  const joined = await joinWithNewAccount(token, submission.value, reader.locale);
  if (joined.kind === 'has_account') {
    return redirectWithFlash(`/login?${new URLSearchParams({ redirectTo: here })}`, {
      kind: 'info',
      key: 'workspaces:invitation.hasAccount',
    });
  }
  if (joined.kind === 'invalid') throw redirect(here, 303);
  const headers = new Headers({ 'Set-Cookie': joined.setCookie });
  return redirectWithFlash(
    `/w/${joined.slug}`,
    { kind: 'success', key: 'workspaces:invitation.joined' },
    { headers },
  );
}

export default function Invitation() {
  const t = useT();
  const { invitation, signedInAs, hasAccount } = useLoaderData<typeof loader>();
  const here = useLocation().pathname;
  const form = useFormState('join', useActionData<typeof action>()?.result);
  if (!invitation) {
    return (
      <div className="narrow">
        <PageHeader title={t('workspaces:invitation.invalidTitle')} />
        <p>{t('workspaces:invitation.invalid')}</p>
      </div>
    );
  }
  const values = {
    workspace: invitation.workspaceName,
    inviter: invitation.invitedByName ?? 'Workroom',
    role: t(`workspaces:roles.${invitation.role}`),
  };
  return (
    <div className="narrow">
      <PageHeader
        title={t('workspaces:invitation.heading', values)}
        description={t('workspaces:invitation.intro', values)}
      />
      {signedInAs ? (
        signedInAs.toLowerCase() === invitation.email.toLowerCase() ? (
          <form method="post">
            <Button>{t('workspaces:invitation.accept', values)}</Button>
          </form>
        ) : (
          <div className="notice">
            <p>
              {t('workspaces:invitation.wrongAccount', {
                email: invitation.email,
                current: signedInAs,
              })}
            </p>
            <form method="post" action="/logout" className="inline-form">
              <Button variant="secondary">{t('nav.signOut')}</Button>
            </form>
          </div>
        )
      ) : hasAccount ? (
        <p>
          {t('workspaces:invitation.haveAccount', { email: invitation.email })}{' '}
          <a href={`/login?${new URLSearchParams({ redirectTo: here })}`}>
            {t('workspaces:invitation.signInToAccept')}
          </a>
        </p>
      ) : (
        <>
          <h2>{t('workspaces:invitation.createAccount')}</h2>
          <ErrorSummary form={form} />
          <form method="post" id={form.formId} noValidate>
            <p>{t('workspaces:invitation.accountFor', { email: invitation.email })}</p>
            <TextField
              field={form.field('name')}
              label={t('accounts:fields.name')}
              autoComplete="name"
              required
            />
            <NewPasswordInput field={form.field('password')} />
            <Button>{t('workspaces:invitation.createAndJoin')}</Button>
          </form>
        </>
      )}
    </div>
  );
}
