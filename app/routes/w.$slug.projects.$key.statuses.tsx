import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { projectPolicy } from '~/modules/projects/policy';
import { requireProject } from '~/modules/projects/projects.server';
import { statusName } from '~/modules/tasks/components';
import { statusCategories, statusSchema } from '~/modules/tasks/schema';
import {
  addStatus,
  listStatuses,
  moveStatus,
  removeStatus,
  updateStatus,
} from '~/modules/tasks/statuses.server';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest, notFound, refusal } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, SelectField, TextField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('tasks:statuses.title') };

/** A project's statuses: the lead (or a manager) names, orders and groups them. */
async function requireLead(
  request: Request,
  context: LoaderFunctionArgs['context'],
  params: LoaderFunctionArgs['params'],
) {
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  if (project.deletedAt) throw notFound();
  assertAllowed(projectPolicy.manage(member.role, project.myRole));
  return { member, project };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { member, project } = await requireLead(request, context, params);
  return {
    slug: member.workspace.slug,
    projectKey: project.key,
    projectName: project.name,
    statuses: await withWorkspace(member.ctx, (trx) => listStatuses(trx, project.id)),
  };
}

const intents = z.enum(['add', 'update', 'up', 'down', 'remove']);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { member, project } = await requireLead(request, context, params);
  const form = await readForm(request.clone());
  const intent = intents.safeParse(form.get('intent'));
  if (!intent.success) throw badRequest();
  const page = `/w/${member.workspace.slug}/projects/${project.key}/statuses`;
  const done = () => redirectWithFlash(page, { kind: 'success', key: 'tasks:statuses.saved' });
  if (intent.data === 'add') {
    const submission = await parseForm(request, statusSchema);
    if (submission.status !== 'success') return invalidForm(submission);
    await withWorkspace(member.ctx, (trx) => addStatus(trx, member, project.id, submission.value));
    return done();
  }
  const statusId = z.uuid().safeParse(form.get('statusId'));
  if (!statusId.success) throw badRequest();
  if (intent.data === 'update') {
    const submission = await parseForm(request, statusSchema);
    if (submission.status !== 'success') return invalidForm(submission);
    const found = await withWorkspace(member.ctx, (trx) =>
      updateStatus(trx, member, project.id, statusId.data, submission.value),
    );
    if (!found) throw notFound();
    return done();
  }
  if (intent.data === 'remove') {
    const moveTo = z.uuid().safeParse(form.get('moveTo'));
    if (!moveTo.success) throw refusal(422, 'tasks:statuses.moveToRequired');
    const removed = await withWorkspace(member.ctx, (trx) =>
      removeStatus(trx, member, project.id, statusId.data, moveTo.data),
    );
    if (removed === 'last_of_category') throw refusal(422, 'tasks:statuses.lastOfCategory');
    if (removed === 'unknown') throw refusal(422, 'tasks:statuses.moveToRequired');
    return done();
  }
  await withWorkspace(member.ctx, (trx) =>
    moveStatus(trx, member, project.id, statusId.data, intent.data as 'up' | 'down'),
  );
  return done();
}

export default function Statuses() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const form = useFormState('add-status', result, { category: 'in_progress' });
  const categoryOptions = statusCategories.map((category) => ({
    value: category,
    label: t(`tasks:categories.${category}`),
  }));
  return (
    <>
      <PageHeader title={t('tasks:statuses.title')} description={data.projectName} />
      <p>{t('tasks:statuses.intro')}</p>
      <ErrorSummary form={form} />
      <ol className="status-list">
        {data.statuses.map((status, index) => {
          const label = statusName(t, status);
          return (
            <li key={status.id} className="card">
              <form method="post" className="inline-form">
                <input type="hidden" name="intent" value="update" />
                <input type="hidden" name="statusId" value={status.id} />
                <div className="field">
                  <label htmlFor={`status-name-${status.id}`}>{t('tasks:statuses.name')}</label>
                  <input
                    id={`status-name-${status.id}`}
                    name="name"
                    defaultValue={label}
                    maxLength={40}
                    required
                  />
                </div>
                <div className="field">
                  <label htmlFor={`status-category-${status.id}`}>
                    {t('tasks:statuses.category')}
                  </label>
                  <select
                    id={`status-category-${status.id}`}
                    name="category"
                    defaultValue={status.category}
                  >
                    {categoryOptions.map((option) => (
                      <option key={option.value} value={option.value}>
                        {option.label}
                      </option>
                    ))}
                  </select>
                </div>
                <Button variant="secondary" small>
                  {t('common:actions.save')}
                  <span className="visually-hidden">: {label}</span>
                </Button>
              </form>
              <span className="button-row">
                {index > 0 ? (
                  <form method="post">
                    <input type="hidden" name="intent" value="up" />
                    <input type="hidden" name="statusId" value={status.id} />
                    <Button variant="secondary" small>
                      {t('tasks:statuses.up', { name: label })}
                    </Button>
                  </form>
                ) : null}
                {index < data.statuses.length - 1 ? (
                  <form method="post">
                    <input type="hidden" name="intent" value="down" />
                    <input type="hidden" name="statusId" value={status.id} />
                    <Button variant="secondary" small>
                      {t('tasks:statuses.down', { name: label })}
                    </Button>
                  </form>
                ) : null}
              </span>
              <form method="post" className="inline-form">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="statusId" value={status.id} />
                <div className="field">
                  <label htmlFor={`status-move-${status.id}`}>
                    {t('tasks:statuses.moveTo', { name: label })}
                  </label>
                  <select id={`status-move-${status.id}`} name="moveTo">
                    {data.statuses
                      .filter((other) => other.id !== status.id)
                      .map((other) => (
                        <option key={other.id} value={other.id}>
                          {statusName(t, other)}
                        </option>
                      ))}
                  </select>
                </div>
                <Button variant="danger" small>
                  {t('tasks:statuses.remove')}
                  <span className="visually-hidden">: {label}</span>
                </Button>
              </form>
            </li>
          );
        })}
      </ol>
      <h2>{t('tasks:statuses.addTitle')}</h2>
      <form method="post" id={form.formId} noValidate>
        <input type="hidden" name="intent" value="add" />
        <TextField
          field={form.field('name')}
          label={t('tasks:statuses.name')}
          maxLength={40}
          required
        />
        <SelectField
          field={form.field('category')}
          label={t('tasks:statuses.category')}
          options={categoryOptions}
        />
        <Button>{t('tasks:statuses.add')}</Button>
      </form>
    </>
  );
}
