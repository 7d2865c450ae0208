import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { taskFields, TASK_TRASH_DAYS } from '~/modules/tasks/schema';
import {
  changeTask,
  requireTask,
  restoreTask,
  taskPolicy,
  trashTask,
} from '~/modules/tasks/tasks.server';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, TextAreaField, TextField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('tasks:edit.title') };

/** The task's title and description, and its deletion: the rest changes on the task's page. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const task = await requireTask(member, params.key);
  assertAllowed(taskPolicy.change(member, task));
  return {
    slug: member.workspace.slug,
    key: task.key,
    deleted: task.deletedAt !== null,
    values: { title: task.title, description: task.description },
  };
}

const intentSchema = z.enum(['update', 'delete', 'restore']);
const editSchema = taskFields.pick({ title: true, description: true });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const task = await requireTask(member, params.key);
  assertAllowed(taskPolicy.change(member, task));
  const intent = intentSchema.safeParse((await readForm(request.clone())).get('intent'));
  if (!intent.success) throw badRequest();
  const slug = member.workspace.slug;
  const page = `/w/${slug}/tasks/${task.key}`;
  if (intent.data === 'delete') {
    await withWorkspace(member.ctx, (trx) => trashTask(trx, member, task));
    return redirectWithFlash(`/w/${slug}/projects/${task.projectKey}/tasks`, {
      kind: 'success',
      key: 'tasks:edit.deleted',
      values: { key: task.key, days: TASK_TRASH_DAYS },
    });
  }
  if (intent.data === 'restore') {
    await withWorkspace(member.ctx, (trx) => restoreTask(trx, member, task));
    return redirectWithFlash(page, { kind: 'success', key: 'tasks:edit.restored' });
  }
  assertAllowed(!task.deletedAt);
  const submission = await parseForm(request, editSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  await withWorkspace(member.ctx, (trx) => changeTask(trx, member, slug, task, submission.value));
  return redirectWithFlash(page, { kind: 'success', key: 'tasks:page.saved' });
}

export default function EditTask() {
  const t = useT();
  const { key, deleted, values } = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const form = useFormState('edit-task', result, values);
  return (
    <>
      <PageHeader title={t('tasks:edit.title')} description={key} />
      {deleted ? (
        <form method="post">
          <p>{t('tasks:page.inTrash', { days: TASK_TRASH_DAYS })}</p>
          <input type="hidden" name="intent" value="restore" />
          <Button>{t('tasks:edit.restore')}</Button>
        </form>
      ) : (
        <>
          <ErrorSummary form={form} />
          <form method="post" id={form.formId} noValidate>
            <input type="hidden" name="intent" value="update" />
            <TextField
              field={form.field('title')}
              label={t('tasks:fields.title')}
              maxLength={200}
              required
            />
            <TextAreaField
              field={form.field('description')}
              label={t('tasks:fields.description')}
              hint={t('tasks:form.descriptionHint')}
              rows={8}
            />
            <Button>{t('common:actions.save')}</Button>
          </form>
          <section aria-labelledby="delete-task-title">
            <h2 id="delete-task-title">{t('tasks:edit.deleteTitle')}</h2>
            <form method="post">
              <input type="hidden" name="intent" value="delete" />
              <Button variant="danger">{t('tasks:edit.delete')}</Button>
            </form>
          </section>
        </>
      )}
    </>
  );
}
