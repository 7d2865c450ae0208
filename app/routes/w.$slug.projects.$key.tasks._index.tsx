import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { getReader } from '~/modules/accounts/reader.server';
import { projectPolicy } from '~/modules/projects/policy';
import { requireProject } from '~/modules/projects/projects.server';
import { bulkEditTasks, BulkRefusal } from '~/modules/tasks/bulk.server';
import {
  DueDate,
  LabelChip,
  PriorityBadge,
  statusName,
  StatusOptions,
  PeopleOptions,
  PriorityOptions,
} from '~/modules/tasks/components';
import { labelChoices } from '~/modules/tasks/labels.server';
import { ProjectTabs } from '~/modules/tasks/project-tabs';
import { listProjectTasks, TASKS_PER_PAGE } from '~/modules/tasks/queries.server';
import { listSavedViews, removeSavedView, saveView } from '~/modules/tasks/saved-views.server';
import {
  bulkEditSchema,
  readTaskFilters,
  savedViewSchema,
  taskFilterQuery,
} from '~/modules/tasks/schema';
import { listStatuses } from '~/modules/tasks/statuses.server';
import { assignableMembers } from '~/modules/tasks/tasks.server';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useFormat, useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest, notFound } from '~/platform/http-errors.server';
import { createFormatter } from '~/platform/i18n/format';
import type { RouteHandle } from '~/platform/page-title';
import { Button, buttonClass } from '~/ui/button';
import { EmptyState } from '~/ui/empty-state';
import { ErrorSummary, TextField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';
import { Pagination } from '~/ui/pagination';

export const handle: RouteHandle = {
  title: (t, data) =>
    `${t('tasks:list.title')} · ${(data as { projectName?: string } | undefined)?.projectName ?? ''}`,
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  if (project.deletedAt) throw notFound();
  const url = new URL(request.url);
  const filters = readTaskFilters(url.searchParams);
  return withWorkspace(member.ctx, async (trx) => {
    const { tasks, total } = await listProjectTasks(
      trx,
      member,
      project.id,
      filters,
      reader.timeZone,
    );
    return {
      slug: member.workspace.slug,
      projectKey: project.key,
      projectName: project.name,
      today: createFormatter(reader.locale, reader.timeZone).isoDate(new Date()),
      filters,
      query: taskFilterQuery(filters),
      tasks,
      total,
      pageCount: Math.max(1, Math.ceil(total / TASKS_PER_PAGE)),
      statuses: await listStatuses(trx, project.id),
      people: await assignableMembers(trx, project.id),
      labels: await labelChoices(trx),
      savedViews: await listSavedViews(trx, member, project.id),
      canChange: projectPolicy.contribute(member.role, project.myRole),
    };
  });
}

const intents = z.enum(['bulk', 'save-view', 'remove-view']);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  if (project.deletedAt) throw notFound();
  const form = await readForm(request.clone());
  const intent = intents.safeParse(form.get('intent'));
  if (!intent.success) throw badRequest();
  const slug = member.workspace.slug;
  const list = `/w/${slug}/projects/${project.key}/tasks`;
  // The list comes back as it was, filters and all.
  const query = z
    .string()
    .max(1000)
    .catch('')
    .parse(form.get('query') ?? '');
  const back = query ? `${list}?${query}` : list;

  if (intent.data === 'save-view') {
    const submission = await parseForm(request, savedViewSchema);
    if (submission.status !== 'success') return invalidForm(submission);
    await withWorkspace(member.ctx, (trx) => saveView(trx, member, project.id, submission.value));
    return redirectWithFlash(back, {
      kind: 'success',
      key: 'tasks:views.saved',
      values: { name: submission.value.name },
    });
  }
  if (intent.data === 'remove-view') {
    const viewId = z.uuid().safeParse(form.get('viewId'));
    if (!viewId.success) throw badRequest();
    const removed = await withWorkspace(member.ctx, (trx) =>
      removeSavedView(trx, member, viewId.data),
    );
    if (!removed) throw notFound();
    return redirectWithFlash(list, { kind: 'success', key: 'tasks:views.removed' });
  }

  assertAllowed(projectPolicy.contribute(member.role, project.myRole));
  const submission = await parseForm(request, bulkEditSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  try {
    const count = await withWorkspace(member.ctx, (trx) =>
      bulkEditTasks(trx, member, slug, project.id, submission.value),
    );
    return redirectWithFlash(back, { kind: 'success', key: 'tasks:bulk.done', values: { count } });
  } catch (error) {
    if (!(error instanceof BulkRefusal)) throw error;
    const field =
      error.reason === 'assignee_not_member'
        ? 'assigneeId'
        : error.reason === 'status_unknown'
          ? 'statusId'
          : 'taskIds';
    const message =
      error.reason === 'assignee_not_member'
        ? 'tasks:validation.assigneeInvalid'
        : error.reason === 'status_unknown'
          ? 'tasks:validation.statusInvalid'
          : 'tasks:validation.selectTasks';
    return invalidForm(submission, { fieldErrors: { [field]: [message] } });
  }
}

export default function TaskList() {
  const t = useT();
  const format = useFormat();
  const data = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const failed = result?.initialValue?.intent;
  const bulk = useFormState('bulk', failed === 'bulk' ? result : undefined);
  const view = useFormState('save-view', failed === 'save-view' ? result : undefined);
  const base = `/w/${data.slug}/projects/${data.projectKey}`;
  const { filters } = data;
  const csvHref = `${base}/tasks.csv${data.query ? `?${data.query}` : ''}`;
  return (
    <>
      <PageHeader
        title={data.projectName}
        description={t('tasks:list.count', { count: data.total })}
        actions={
          <span className="button-row">
            <a href={csvHref} download hx-boost="false">
              {t('tasks:list.csv')}
            </a>
            {data.canChange ? (
              <a className={buttonClass()} href={`${base}/tasks/new`}>
                {t('tasks:new.link')}
              </a>
            ) : null}
          </span>
        }
      />
      <ProjectTabs base={base} current="list" />
      <ErrorSummary form={bulk} />
      <ErrorSummary form={view} />

      {data.savedViews.length > 0 ? (
        <nav aria-labelledby="saved-views-title" className="saved-views">
          <h2 id="saved-views-title">{t('tasks:views.title')}</h2>
          <ul>
            {data.savedViews.map((saved) => (
              <li key={saved.id}>
                <a
                  href={`${base}/tasks${saved.query ? `?${saved.query}` : ''}`}
                  aria-current={saved.query === data.query ? 'page' : undefined}
                >
                  {saved.name}
                </a>
                <form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="remove-view" />
                  <input type="hidden" name="viewId" value={saved.id} />
                  <Button variant="secondary" small>
                    {t('tasks:views.remove')}
                    <span className="visually-hidden">: {saved.name}</span>
                  </Button>
                </form>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      <form method="get" className="filters" role="search" aria-label={t('tasks:filters.label')}>
        <div className="field">
          <label htmlFor="tasks-q">{t('tasks:filters.search')}</label>
          <input id="tasks-q" name="q" type="search" defaultValue={filters.q ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="tasks-status">{t('tasks:fields.status')}</label>
          <select id="tasks-status" name="status" defaultValue={filters.status[0] ?? ''}>
            <option value="">{t('tasks:filters.any')}</option>
            <StatusOptions statuses={data.statuses} />
          </select>
        </div>
        <div className="field">
          <label htmlFor="tasks-assignee">{t('tasks:fields.assignee')}</label>
          <select id="tasks-assignee" name="assignee" defaultValue={filters.assignee[0] ?? ''}>
            <option value="">{t('tasks:filters.anyone')}</option>
            <option value="me">{t('tasks:filters.me')}</option>
            <option value="nobody">{t('tasks:nobody')}</option>
            <PeopleOptions people={data.people} />
          </select>
        </div>
        <div className="field">
          <label htmlFor="tasks-priority">{t('tasks:fields.priority')}</label>
          <select id="tasks-priority" name="priority" defaultValue={filters.priority[0] ?? ''}>
            <option value="">{t('tasks:filters.any')}</option>
            <PriorityOptions />
          </select>
        </div>
        {data.labels.length > 0 ? (
          <div className="field">
            <label htmlFor="tasks-label">{t('tasks:fields.labels')}</label>
            <select id="tasks-label" name="label" defaultValue={filters.label[0] ?? ''}>
              <option value="">{t('tasks:filters.any')}</option>
              {data.labels.map((label) => (
                <option key={label.id} value={label.id}>
                  {label.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="tasks-due">{t('tasks:fields.dueDate')}</label>
          <select id="tasks-due" name="due" defaultValue={filters.due ?? ''}>
            <option value="">{t('tasks:filters.anyDate')}</option>
            <option value="overdue">{t('tasks:filters.overdue')}</option>
            <option value="week">{t('tasks:filters.week')}</option>
            <option value="none">{t('tasks:due.noDate')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="tasks-sort">{t('tasks:filters.sort')}</label>
          <select id="tasks-sort" name="sort" defaultValue={filters.sort}>
            {(['priority', 'due', 'created', 'updated', 'key', 'title'] as const).map((sort) => (
              <option key={sort} value={sort}>
                {t(`tasks:sort.${sort}`)}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary">{t('common:actions.filter')}</Button>
      </form>

      <form method="post" id={view.formId} noValidate className="inline-form">
        <input type="hidden" name="intent" value="save-view" />
        <input type="hidden" name="query" value={data.query} />
        <TextField field={view.field('name')} label={t('tasks:views.name')} maxLength={60} />
        <Button variant="secondary">{t('tasks:views.save')}</Button>
      </form>

      {data.tasks.length === 0 ? (
        <EmptyState title={t('tasks:list.none')} />
      ) : (
        <form method="post" id={bulk.formId} noValidate>
          <input type="hidden" name="intent" value="bulk" />
          <input type="hidden" name="query" value={data.query} />
          <div
            className="table-wrap"
            role="region"
            aria-label={t('tasks:list.caption')}
            // A region that scrolls sideways must be reachable by keyboard (see ui/table.tsx).
            // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
            tabIndex={0}
          >
            <table>
              <caption>{t('tasks:list.caption')}</caption>
              <thead>
                <tr>
                  {data.canChange ? (
                    <th scope="col">
                      <span className="visually-hidden">{t('tasks:bulk.select')}</span>
                    </th>
                  ) : null}
                  <th scope="col">{t('tasks:fields.title')}</th>
                  <th scope="col">{t('tasks:fields.status')}</th>
                  <th scope="col">{t('tasks:fields.assignee')}</th>
                  <th scope="col">{t('tasks:fields.priority')}</th>
                  <th scope="col">{t('tasks:fields.dueDate')}</th>
                  <th scope="col">{t('tasks:fields.labels')}</th>
                </tr>
              </thead>
              <tbody>
                {data.tasks.map((task, index) => (
                  <tr key={task.id}>
                    {data.canChange ? (
                      <td>
                        <input
                          type="checkbox"
                          name="taskIds"
                          value={task.id}
                          // The error summary's "select tasks" link lands on the first box.
                          id={index === 0 ? 'bulk-taskIds' : `select-${task.id}`}
                          aria-label={t('tasks:bulk.selectOne', { key: task.key })}
                        />
                      </td>
                    ) : null}
                    <th scope="row">
                      <a href={`/w/${data.slug}/tasks/${task.key}`}>
                        <span className="muted">{task.key}</span> {task.title}
                      </a>
                    </th>
                    <td>{statusName(t, { name: task.statusName, preset: task.statusPreset })}</td>
                    <td>{task.assigneeName ?? t('tasks:nobody')}</td>
                    <td>
                      {task.priority === 'none' ? '—' : <PriorityBadge priority={task.priority} />}
                    </td>
                    <td>
                      {task.dueDate ? (
                        <DueDate
                          day={task.dueDate}
                          today={data.today}
                          done={task.completedAt !== null}
                        />
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      {task.labels.map((label) => (
                        <LabelChip key={label.id} label={label} />
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.canChange ? (
            <fieldset className="bulk-edit">
              <legend>{t('tasks:bulk.title')}</legend>
              <p className="field__hint">{t('tasks:bulk.hint')}</p>
              <div className="filters">
                <div className="field">
                  <label htmlFor="bulk-statusId">{t('tasks:fields.status')}</label>
                  <select id="bulk-statusId" name="statusId" defaultValue="">
                    <option value="">{t('tasks:bulk.keep')}</option>
                    <StatusOptions statuses={data.statuses} />
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="bulk-assigneeId">{t('tasks:fields.assignee')}</label>
                  <select id="bulk-assigneeId" name="assigneeId" defaultValue="">
                    <option value="">{t('tasks:bulk.keep')}</option>
                    <option value="nobody">{t('tasks:nobody')}</option>
                    <PeopleOptions people={data.people} />
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="bulk-priority">{t('tasks:fields.priority')}</label>
                  <select id="bulk-priority" name="priority" defaultValue="">
                    <option value="">{t('tasks:bulk.keep')}</option>
                    <PriorityOptions />
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="bulk-dueDate">{t('tasks:fields.dueDate')}</label>
                  <input id="bulk-dueDate" name="dueDate" type="date" />
                </div>
                <Button>{t('tasks:bulk.apply')}</Button>
              </div>
            </fieldset>
          ) : null}
        </form>
      )}
      <Pagination page={filters.page} pageCount={data.pageCount} search={data.query} />
      <p className="muted">
        {t('tasks:list.shown', { count: data.tasks.length, total: format.number(data.total) })}
      </p>
    </>
  );
}
