import { NewPasswordInput } from '~/modules/accounts/components';
import { getReader } from '~/modules/accounts/reader.server';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData, useLocation } from '@remix-run/react';
import {
  createAccountFromInvitation,
  hasVerifiedAccount,
} from '~/modules/accounts/identity.server';
import { nameField, newPasswordField } from '~/modules/accounts/schema';
import { getCurrentSession } from '~/modules/accounts/session.server';
import { acceptInvitation, viewInvitation } from '~/modules/workspaces/invitations.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';
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
  const reader = await getReader(request, context);
  const token = params.token ?? '';
  const session = await getCurrentSession(request, context);
  if (session) {
    const accepted = await acceptInvitation(token, session.user);
    if (accepted.kind === 'joined')
      return redirectWithFlash(`/w/${accepted.slug}`, {
        kind: 'success',
        key: 'workspaces:invitation.joined',
      });
    throw redirect(`/invitations/${token}`, 303);
  }
  // A new account from the invitation: the link proved the address, so no verification mail.
  await consumeLimit('signUpByIp', currentRequestContext()?.ip ?? 'unknown');
  const invitation = await viewInvitation(token);
  if (!invitation) throw redirect(`/invitations/${token}`, 303);
  const submission = await parseForm(request, newAccountSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const created = await createAccountFromInvitation(
    { name: submission.value.name, email: invitation.email, password: submission.value.password },
    reader.locale,
  );
  if (!created) throw badRequest();
  const accepted = await acceptInvitation(token, { id: created.userId, email: invitation.email });
  if (accepted.kind !== 'joined') throw redirect(`/invitations/${token}`, 303);
  const headers = new Headers({ 'Set-Cookie': created.setCookie });
  return redirectWithFlash(
    `/w/${accepted.slug}`,
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
