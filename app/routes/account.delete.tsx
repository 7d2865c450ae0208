import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { CurrentPasswordInput } from '~/modules/accounts/components';
import { useActionData, useLoaderData } from '@remix-run/react';
import {
  deleteAccount,
  workspacesBlockingDeletion,
} from '~/modules/accounts/delete-account.server';
import { passwordConfirmationSchema } from '~/modules/accounts/schema';
import { clearSessionCookie, requireUser } from '~/modules/accounts/session.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('accounts:delete.title') };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { blocking: await workspacesBlockingDeletion(user.id) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = await parseForm(request, passwordConfirmationSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const result = await deleteAccount(user.id, submission.value.currentPassword);
  if (result.kind === 'wrong_password')
    return invalidForm(submission, {
      fieldErrors: { currentPassword: ['accounts:validation.passwordWrong'] },
    });
  if (result.kind === 'sole_owner')
    return invalidForm(submission, { formError: 'accounts:delete.soleOwner' });
  const headers = new Headers({ 'Set-Cookie': await clearSessionCookie() });
  return redirectWithFlash('/login', { kind: 'success', key: 'accounts:delete.done' }, { headers });
}

export default function DeleteAccount() {
  const t = useT();
  const { blocking } = useLoaderData<typeof loader>();
  const form = useFormState('delete-account', useActionData<typeof action>()?.result);
  return (
    <>
      <PageHeader title={t('accounts:delete.title')} />
      <p>{t('accounts:delete.intro')}</p>
      <ul>
        <li>{t('accounts:delete.removed')}</li>
        <li>{t('accounts:delete.kept')}</li>
        <li>{t('accounts:delete.audit')}</li>
      </ul>
      {blocking.length > 0 ? (
        <div className="notice">
          <p>{t('accounts:delete.blocked')}</p>
          <ul>
            {blocking.map((workspace) => (
              <li key={workspace.slug}>
                <a href={`/w/${workspace.slug}/admin/members`}>{workspace.name}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <>
          <ErrorSummary form={form} />
          <form method="post" id={form.formId} noValidate>
            <CurrentPasswordInput field={form.field('currentPassword')} />
            <Button variant="danger">{t('accounts:delete.submit')}</Button>
          </form>
        </>
      )}
    </>
  );
}
