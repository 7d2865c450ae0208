import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { getReader } from '~/modules/accounts/reader.server';
import {
  addChecklistItem,
  removeChecklistItem,
  setChecklistItem,
} from '~/modules/tasks/checklist.server';
import { taskRefusalMessages } from '~/modules/tasks/card-change.server';
import { addComment } from '~/modules/tasks/comments.server';
import { statusName } from '~/modules/tasks/components';
import {
  checklistItemSchema,
  commentSchema,
  taskFields,
  TASK_TRASH_DAYS,
} from '~/modules/tasks/schema';
import { TaskActivity, TaskChecklist, TaskComments, TaskSummary } from '~/modules/tasks/task-page';
import { loadTaskPage } from '~/modules/tasks/task-page.server';
import {
  changeTask,
  findTask,
  requireTask,
  taskPolicy,
  type TaskRefusal,
} from '~/modules/tasks/tasks.server';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest, notFound, refusal } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, TextAreaField, TextField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = {
  liveTopics: (data: { task: { id: string } }) => [`task:${data.task.id}`],
  title: (_t, data) => {
    const task = (data as { task?: { key: string; title: string } } | undefined)?.task;
    return task ? `${task.key}: ${task.title}` : '';
  },
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  // One transaction for the task and its page (requireTask would open one of its own).
  return withWorkspace(member.ctx, async (trx) => {
    const task = await findTask(trx, member, params.key);
    if (!task) throw notFound();
    return loadTaskPage(trx, member, member.workspace.slug, task, reader.timeZone);
  });
}

const intents = z.enum([
  'details',
  'comment',
  'checklist-add',
  'checklist-toggle',
  'checklist-remove',
]);

const refusalFields: Record<TaskRefusal, string> = {
  assignee_not_member: 'assigneeId',
  status_unknown: 'statusId',
  label_unknown: 'labelIds',
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const task = await requireTask(member, params.key);
  const slug = member.workspace.slug;
  const form = await readForm(request.clone());
  const intent = intents.safeParse(form.get('intent'));
  if (!intent.success) throw badRequest();
  const page = `/w/${slug}/tasks/${task.key}`;

  if (intent.data === 'comment') {
    assertAllowed(taskPolicy.comment(member, task) && !task.deletedAt);
    const submission = await parseForm(request, commentSchema);
    if (submission.status !== 'success') return invalidForm(submission);
    await withWorkspace(member.ctx, (trx) =>
      addComment(trx, member, slug, task, submission.value.body),
    );
    return redirectWithFlash(page, { kind: 'success', key: 'tasks:comments.added' });
  }

  assertAllowed(taskPolicy.change(member, task) && !task.deletedAt);

  if (intent.data === 'details') {
    const submission = await parseForm(
      request,
      taskFields.pick({
        statusId: true,
        assigneeId: true,
        priority: true,
        dueDate: true,
        labelIds: true,
      }),
    );
    if (submission.status !== 'success') return invalidForm(submission);
    const { statusId, assigneeId, priority, dueDate, labelIds } = submission.value;
    const refused = await withWorkspace(member.ctx, (trx) =>
      changeTask(trx, member, slug, task, {
        ...(statusId ? { statusId } : {}),
        assigneeId: assigneeId ?? null,
        priority,
        dueDate: dueDate ?? null,
        labelIds,
      }),
    );
    if (refused)
      return invalidForm(submission, {
        fieldErrors: { [refusalFields[refused]]: [taskRefusalMessages[refused]] },
      });
    return redirectWithFlash(page, { kind: 'success', key: 'tasks:page.saved' });
  }

  if (intent.data === 'checklist-add') {
    const submission = await parseForm(request, checklistItemSchema);
    if (submission.status !== 'success') return invalidForm(submission);
    await withWorkspace(member.ctx, (trx) =>
      addChecklistItem(trx, member, task, submission.value.text),
    );
    return redirectWithFlash(`${page}#task-checklist`, {
      kind: 'success',
      key: 'tasks:checklist.added',
    });
  }

  const itemId = z.uuid().safeParse(form.get('itemId'));
  if (!itemId.success) throw badRequest();
  const found = await withWorkspace(member.ctx, (trx) =>
    intent.data === 'checklist-toggle'
      ? setChecklistItem(trx, member, task, itemId.data, form.get('done') === '1')
      : removeChecklistItem(trx, member, task, itemId.data),
  );
  if (!found) throw refusal(404, 'tasks:checklist.unknown');
  return redirectWithFlash(`${page}#task-checklist`, {
    kind: 'success',
    key: intent.data === 'checklist-toggle' ? 'tasks:checklist.updated' : 'tasks:checklist.removed',
  });
}

export default function TaskPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const { task } = data;
  const failed = result?.initialValue?.intent;
  const details = useFormState('task-details', failed === 'details' ? result : undefined);
  const comment = useFormState('task-comment', failed === 'comment' ? result : undefined);
  const checklist = useFormState(
    'task-checklist-add',
    failed === 'checklist-add' ? result : undefined,
  );
  const base = `/w/${data.slug}`;
  return (
    <>
      <PageHeader
        title={task.title}
        description={
          <>
            <span className="muted">{task.key}</span> ·{' '}
            <a href={`${base}/projects/${task.projectKey}`}>{task.projectName}</a> ·{' '}
            {statusName(t, { name: task.statusName, preset: task.statusPreset })}
          </>
        }
        actions={
          data.canChange ? (
            <span className="button-row">
              <a href={`${base}/tasks/${task.key}/edit`}>{t('tasks:page.edit')}</a>
              <a href={`${base}/projects/${task.projectKey}/board`}>{t('tasks:board.title')}</a>
            </span>
          ) : (
            <a href={`${base}/projects/${task.projectKey}/tasks`}>{t('tasks:list.title')}</a>
          )
        }
      />
      {task.deleted ? (
        <div className="flash flash--info" role="status">
          {t('tasks:page.inTrash', { days: TASK_TRASH_DAYS })}
        </div>
      ) : null}
      <ErrorSummary form={details} />
      <ErrorSummary form={comment} />
      <ErrorSummary form={checklist} />
      {/* Live: changes by others arrive as out-of-band swaps of the sections below. */}
      <div sse-swap="task" hx-swap="none" hidden />
      <div className="task-layout">
        <div className="task-main">
          {task.descriptionHtml ? (
            // markdown-it with raw HTML off and unsafe links refused: see markdown.server.ts.
            <div className="prose" dangerouslySetInnerHTML={{ __html: task.descriptionHtml }} />
          ) : (
            <p className="muted">{t('tasks:page.noDescription')}</p>
          )}
          <TaskChecklist data={data} />
          {data.canChange ? (
            <form method="post" id={checklist.formId} noValidate className="inline-form">
              <input type="hidden" name="intent" value="checklist-add" />
              <TextField
                field={checklist.field('text')}
                label={t('tasks:checklist.add')}
                maxLength={200}
              />
              <Button variant="secondary">{t('tasks:checklist.addButton')}</Button>
            </form>
          ) : null}
          <section aria-labelledby="comments-title">
            <h2 id="comments-title">{t('tasks:comments.title')}</h2>
            <TaskComments data={data} />
            {data.canComment ? (
              <form method="post" id={comment.formId} noValidate>
                <input type="hidden" name="intent" value="comment" />
                <TextAreaField
                  field={comment.field('body')}
                  label={t('tasks:comments.add')}
                  hint={t('tasks:comments.hint')}
                  rows={4}
                />
                <Button>{t('tasks:comments.post')}</Button>
              </form>
            ) : null}
          </section>
          <TaskActivity data={data} />
        </div>
        <div className="task-side">
          <TaskSummary data={data} />
        </div>
      </div>
    </>
  );
}
