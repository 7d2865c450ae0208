import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/modules/accounts/session.server';
import { createWorkspaceSchema } from '~/modules/workspaces/schema';
import { createWorkspace } from '~/modules/workspaces/workspaces.server';
import { useT } from '~/platform/document-context';
import { invalidForm, parseForm } from '~/platform/forms.server';
import { forbidden } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, TextField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('workspaces:create.title') };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { verified: user.emailVerified, email: user.email };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  // A workspace sends mail in its creator's name: the address must be proven first.
  if (!user.emailVerified) throw forbidden();
  const submission = await parseForm(request, createWorkspaceSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const created = await createWorkspace(user.id, submission.value);
  if (!created.ok)
    return invalidForm(submission, { fieldErrors: { slug: ['workspaces:validation.slugTaken'] } });
  return redirect(`/w/${created.slug}`, 303);
}

export default function NewWorkspace() {
  const t = useT();
  const { verified, email } = useLoaderData<typeof loader>();
  const form = useFormState('new-workspace', useActionData<typeof action>()?.result);
  return (
    <div className="narrow">
      <PageHeader title={t('workspaces:create.title')} description={t('workspaces:create.intro')} />
      {!verified ? (
        <div className="notice">
          <p>{t('workspaces:create.verifyFirst', { email })}</p>
          <a href="/verify-email">{t('accounts:verify.resendTitle')}</a>
        </div>
      ) : (
        <>
          <ErrorSummary form={form} />
          <form method="post" id={form.formId} noValidate>
            <TextField
              field={form.field('name')}
              label={t('workspaces:fields.name')}
              autoComplete="organization"
              required
            />
            <TextField
              field={form.field('slug')}
              label={t('workspaces:fields.slug')}
              hint={t('workspaces:create.slugHint')}
              spellCheck={false}
              autoCapitalize="none"
            />
            <Button>{t('workspaces:create.submit')}</Button>
          </form>
        </>
      )}
    </div>
  );
}
