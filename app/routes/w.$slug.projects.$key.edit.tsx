import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { ProjectFields } from '~/modules/projects/components';
import { projectPolicy } from '~/modules/projects/policy';
import {
  isoDate,
  PROJECT_TRASH_DAYS,
  projectFormChoices,
  requireProject,
  restoreProject,
  trashProject,
  updateProject,
} from '~/modules/projects/projects.server';
import { projectRefusalErrors, updateProjectSchema } from '~/modules/projects/schema';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('projects:edit.title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  assertAllowed(projectPolicy.manage(member.role, project.myRole));
  return {
    slug: member.workspace.slug,
    key: project.key,
    deleted: project.deletedAt !== null,
    values: {
      name: project.name,
      description: project.description,
      status: project.status,
      leadId: project.leadId ?? '',
      divisionId: project.divisionId ?? '',
      startDate: project.startDate ? isoDate(project.startDate) : '',
      targetDate: project.targetDate ? isoDate(project.targetDate) : '',
    },
    ...(await projectFormChoices(member)),
  };
}

const intentSchema = z.enum(['update', 'delete', 'restore']);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  assertAllowed(projectPolicy.manage(member.role, project.myRole));
  const intent = intentSchema.safeParse((await readForm(request.clone())).get('intent'));
  if (!intent.success) throw badRequest();
  const overview = `/w/${member.workspace.slug}/projects/${project.key}`;
  if (intent.data === 'delete') {
    await withWorkspace(member.ctx, (trx) => trashProject(trx, member, project));
    return redirectWithFlash(`/w/${member.workspace.slug}/projects`, {
      kind: 'success',
      key: 'projects:edit.deleted',
      values: { name: project.name, count: PROJECT_TRASH_DAYS },
    });
  }
  if (intent.data === 'restore') {
    await withWorkspace(member.ctx, (trx) => restoreProject(trx, member, project));
    return redirectWithFlash(overview, { kind: 'success', key: 'projects:edit.restored' });
  }
  const submission = await parseForm(request, updateProjectSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const refused = await withWorkspace(member.ctx, (trx) =>
    updateProject(trx, member, project, submission.value),
  );
  if (refused) return invalidForm(submission, { fieldErrors: projectRefusalErrors[refused] });
  return redirectWithFlash(overview, { kind: 'success', key: 'projects:edit.saved' });
}

export default function EditProject() {
  const t = useT();
  const { key, deleted, values, people, divisions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { result?: FormResult } | undefined;
  const form = useFormState('edit-project', actionData?.result, values);
  return (
    <>
      <PageHeader title={t('projects:edit.title')} description={key} />
      {deleted ? (
        <form method="post">
          <p>{t('projects:overview.inTrash')}</p>
          <input type="hidden" name="intent" value="restore" />
          <Button>{t('projects:edit.restore')}</Button>
        </form>
      ) : (
        <>
          <ErrorSummary form={form} />
          <form method="post" id={form.formId} noValidate>
            <input type="hidden" name="intent" value="update" />
            <ProjectFields form={form} people={people} divisions={divisions} withKey={false} />
            <Button>{t('common:actions.save')}</Button>
          </form>
          <section aria-labelledby="delete-project-title">
            <h2 id="delete-project-title">{t('projects:edit.deleteTitle')}</h2>
            <p>{t('projects:edit.deleteIntro', { count: PROJECT_TRASH_DAYS })}</p>
            <form method="post">
              <input type="hidden" name="intent" value="delete" />
              <Button variant="danger">{t('projects:edit.delete')}</Button>
            </form>
          </section>
        </>
      )}
    </>
  );
}
