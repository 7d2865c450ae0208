import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { ProjectFields } from '~/modules/projects/components';
import { projectPolicy } from '~/modules/projects/policy';
import { createProject, projectFormChoices } from '~/modules/projects/projects.server';
import { createProjectSchema, projectRefusalErrors } from '~/modules/projects/schema';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { useT } from '~/platform/document-context';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('projects:new.title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(projectPolicy.create(member.role));
  return { me: member.user.id, ...(await projectFormChoices(member)) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(projectPolicy.create(member.role));
  const submission = await parseForm(request, createProjectSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const created = await createProject(member, submission.value);
  if (!created.ok)
    return invalidForm(submission, {
      fieldErrors: projectRefusalErrors[created.reason],
    });
  throw redirect(`/w/${member.workspace.slug}/projects/${created.key}`, 303);
}

export default function NewProject() {
  const t = useT();
  const { me, people, divisions } = useLoaderData<typeof loader>();
  const form = useFormState('new-project', useActionData<typeof action>()?.result, {
    status: 'active',
    leadId: me,
  });
  return (
    <>
      <PageHeader title={t('projects:new.title')} />
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <ProjectFields form={form} people={people} divisions={divisions} withKey />
        <Button>{t('projects:new.submit')}</Button>
      </form>
    </>
  );
}
