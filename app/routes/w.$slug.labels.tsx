import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { LabelChip } from '~/modules/tasks/components';
import { listLabels, removeLabel, saveLabel } from '~/modules/tasks/labels.server';
import { labelColours, labelSchema } from '~/modules/tasks/schema';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest, notFound } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, SelectField, TextField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('tasks:labels.title') };

/** The workspace's labels: members add them; managers rename, recolour and delete them. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params, { minimumRole: 'member' });
  return {
    labels: await withWorkspace(member.ctx, (trx) => listLabels(trx)),
    canManage: roleAtLeast(member.role, 'manager'),
  };
}

const intents = z.enum(['add', 'update', 'remove']);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params, { minimumRole: 'member' });
  const form = await readForm(request.clone());
  const intent = intents.safeParse(form.get('intent'));
  if (!intent.success) throw badRequest();
  const page = `/w/${member.workspace.slug}/labels`;
  if (intent.data !== 'add') assertAllowed(roleAtLeast(member.role, 'manager'));
  const labelId = intent.data === 'add' ? undefined : z.uuid().safeParse(form.get('labelId')).data;
  if (intent.data !== 'add' && !labelId) throw badRequest();
  if (intent.data === 'remove') {
    const removed = await withWorkspace(member.ctx, (trx) => removeLabel(trx, member, labelId!));
    if (!removed) throw notFound();
    return redirectWithFlash(page, { kind: 'success', key: 'tasks:labels.removed' });
  }
  const submission = await parseForm(request, labelSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const saved = await withWorkspace(member.ctx, (trx) =>
    saveLabel(trx, member, submission.value, labelId),
  );
  if (saved === 'unknown') throw notFound();
  if (saved === 'taken')
    return invalidForm(submission, { fieldErrors: { name: ['tasks:validation.labelTaken'] } });
  return redirectWithFlash(page, { kind: 'success', key: 'tasks:labels.saved' });
}

export default function Labels() {
  const t = useT();
  const { labels, canManage } = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const form = useFormState('add-label', result, { colour: 'blue' });
  const colourOptions = labelColours.map((colour) => ({
    value: colour,
    label: t(`tasks:colours.${colour}`),
  }));
  return (
    <>
      <PageHeader title={t('tasks:labels.title')} description={t('tasks:labels.intro')} />
      <ErrorSummary form={form} />
      {labels.length === 0 ? <p className="muted">{t('tasks:labels.none')}</p> : null}
      <ul className="label-admin">
        {labels.map((label) => (
          <li key={label.id}>
            <LabelChip label={label} />{' '}
            <span className="muted">
              {t('tasks:labels.used', { count: Number(label.taskCount ?? 0) })}
            </span>
            {canManage ? (
              <>
                <form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="labelId" value={label.id} />
                  <div className="field">
                    <label htmlFor={`label-name-${label.id}`}>{t('tasks:labels.name')}</label>
                    <input
                      id={`label-name-${label.id}`}
                      name="name"
                      defaultValue={label.name}
                      maxLength={40}
                      required
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`label-colour-${label.id}`}>{t('tasks:labels.colour')}</label>
                    <select
                      id={`label-colour-${label.id}`}
                      name="colour"
                      defaultValue={label.colour}
                    >
                      {colourOptions.map((option) => (
                        <option key={option.value} value={option.value}>
                          {option.label}
                        </option>
                      ))}
                    </select>
                  </div>
                  <Button variant="secondary" small>
                    {t('common:actions.save')}
                    <span className="visually-hidden">: {label.name}</span>
                  </Button>
                </form>
                <form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="labelId" value={label.id} />
                  <Button variant="danger" small>
                    {t('tasks:labels.remove')}
                    <span className="visually-hidden">: {label.name}</span>
                  </Button>
                </form>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <h2>{t('tasks:labels.addTitle')}</h2>
      <form method="post" id={form.formId} noValidate>
        <input type="hidden" name="intent" value="add" />
        <TextField
          field={form.field('name')}
          label={t('tasks:labels.name')}
          maxLength={40}
          required
        />
        <SelectField
          field={form.field('colour')}
          label={t('tasks:labels.colour')}
          options={colourOptions}
        />
        <Button>{t('tasks:labels.add')}</Button>
      </form>
    </>
  );
}
