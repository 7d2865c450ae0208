import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { projectPolicy } from '~/modules/projects/policy';
import {
  addProjectMember,
  listAddableMembers,
  listProjectMembers,
  removeProjectMember,
  requireProject,
} from '~/modules/projects/projects.server';
import { projectMemberSchema, projectRoles } from '~/modules/projects/schema';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest, isUuid } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, SelectField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';
import { Table } from '~/ui/table';

export const handle: RouteHandle = { title: (t) => t('projects:members.title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  assertAllowed(projectPolicy.manage(member.role, project.myRole));
  const { members, addable } = await withWorkspace(member.ctx, async (trx) => ({
    members: await listProjectMembers(trx, project.id),
    addable: await listAddableMembers(trx, project.id),
  }));
  return { slug: member.workspace.slug, key: project.key, name: project.name, members, addable };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  assertAllowed(projectPolicy.manage(member.role, project.myRole));
  const here = `/w/${member.workspace.slug}/projects/${project.key}/members`;
  const intent = z
    .enum(['add', 'remove'])
    .safeParse((await readForm(request.clone())).get('intent'));
  if (!intent.success) throw badRequest();
  if (intent.data === 'remove') {
    const userId = (await readForm(request)).get('userId');
    if (typeof userId !== 'string' || !isUuid(userId)) throw badRequest();
    await withWorkspace(member.ctx, (trx) => removeProjectMember(trx, member, project, userId));
    return redirectWithFlash(here, { kind: 'success', key: 'projects:members.removed' });
  }
  const submission = await parseForm(request, projectMemberSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const added = await withWorkspace(member.ctx, (trx) =>
    addProjectMember(trx, member, project, submission.value),
  );
  if (added === 'not_a_member')
    return invalidForm(submission, {
      fieldErrors: { userId: ['projects:validation.personRequired'] },
    });
  return redirectWithFlash(here, { kind: 'success', key: 'projects:members.added' });
}

export default function ProjectMembers() {
  const t = useT();
  const { slug, key, name, members, addable } = useLoaderData<typeof loader>();
  const form = useFormState('add-project-member', useActionData<typeof action>()?.result, {
    role: 'member',
  });
  return (
    <>
      <PageHeader
        title={t('projects:members.title')}
        description={name}
        actions={<a href={`/w/${slug}/projects/${key}`}>{t('projects:members.back')}</a>}
      />
      <Table
        caption={t('projects:members.caption', { name })}
        rows={members}
        rowKey={(row) => row.id}
        columns={[
          {
            header: t('projects:fields.name'),
            rowHeader: true,
            cell: (row) => row.name ?? t('common:deletedUser'),
          },
          { header: t('projects:members.role'), cell: (row) => t(`projects:roles.${row.role}`) },
          {
            header: <span className="visually-hidden">{t('common:actions.label')}</span>,
            cell: (row) => (
              <form method="post" className="inline-form">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="userId" value={row.id} />
                <Button
                  variant="secondary"
                  small
                  aria-label={t('projects:members.removeLabel', { name: row.name ?? '' })}
                >
                  {t('projects:members.remove')}
                </Button>
              </form>
            ),
          },
        ]}
      />
      {addable.length > 0 ? (
        <section aria-labelledby="add-member-title">
          <h2 id="add-member-title">{t('projects:members.addTitle')}</h2>
          <p className="muted">{t('projects:members.guestsView')}</p>
          <ErrorSummary form={form} />
          <form method="post" id={form.formId} noValidate>
            <input type="hidden" name="intent" value="add" />
            <SelectField
              field={form.field('userId')}
              label={t('projects:members.person')}
              options={addable.map((person) => ({
                value: person.id,
                label:
                  person.role === 'guest'
                    ? t('projects:members.guestLabel', { name: person.name ?? '' })
                    : (person.name ?? ''),
              }))}
            />
            <SelectField
              field={form.field('role')}
              label={t('projects:members.role')}
              options={projectRoles.map((role) => ({
                value: role,
                label: t(`projects:roles.${role}`),
              }))}
            />
            <Button>{t('projects:members.add')}</Button>
          </form>
        </section>
      ) : null}
    </>
  );
}
