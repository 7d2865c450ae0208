import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { projectPolicy } from '~/modules/projects/policy';
import { requireProject } from '~/modules/projects/projects.server';
import { labelChoices } from '~/modules/tasks/labels.server';
import { taskFields } from '~/modules/tasks/schema';
import { listStatuses } from '~/modules/tasks/statuses.server';
import { NewTaskFields } from '~/modules/tasks/task-form';
import { assignableMembers, createTask, type TaskRefusal } from '~/modules/tasks/tasks.server';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('tasks:new.title') };

async function requireContributor(
  request: Request,
  context: LoaderFunctionArgs['context'],
  params: LoaderFunctionArgs['params'],
) {
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  assertAllowed(projectPolicy.contribute(member.role, project.myRole) && !project.deletedAt);
  return { member, project };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { member, project } = await requireContributor(request, context, params);
  const url = new URL(request.url);
  return withWorkspace(member.ctx, async (trx) => ({
    projectKey: project.key,
    projectName: project.name,
    // "New task" from a board column starts in that column.
    statusId: url.searchParams.get('status') ?? '',
    statuses: await listStatuses(trx, project.id),
    people: await assignableMembers(trx, project.id),
    labels: await labelChoices(trx),
  }));
}

const refusalFields: Record<TaskRefusal, Record<string, string[]>> = {
  assignee_not_member: { assigneeId: ['tasks:validation.assigneeInvalid'] },
  status_unknown: { statusId: ['tasks:validation.statusInvalid'] },
  label_unknown: { labelIds: ['tasks:validation.labelInvalid'] },
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { member, project } = await requireContributor(request, context, params);
  const submission = await parseForm(request, taskFields);
  if (submission.status !== 'success') return invalidForm(submission);
  const slug = member.workspace.slug;
  const created = await withWorkspace(member.ctx, (trx) =>
    createTask(trx, member, slug, project, submission.value),
  );
  if (!created.ok) return invalidForm(submission, { fieldErrors: refusalFields[created.reason] });
  return redirectWithFlash(`/w/${slug}/tasks/${created.key}`, {
    kind: 'success',
    key: 'tasks:new.created',
    values: { key: created.key },
  });
}

export default function NewTask() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const form = useFormState('new-task', result, { statusId: data.statusId, priority: 'none' });
  return (
    <>
      <PageHeader title={t('tasks:new.title')} description={data.projectName} />
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <NewTaskFields
          form={form}
          statuses={data.statuses}
          people={data.people}
          labels={data.labels}
        />
        <Button>{t('tasks:new.submit')}</Button>
      </form>
    </>
  );
}
