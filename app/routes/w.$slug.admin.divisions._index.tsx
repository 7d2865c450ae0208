import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { createDivision, listDivisions } from '~/modules/workspaces/divisions.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { divisionSchema } from '~/modules/workspaces/schema';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { EmptyState } from '~/ui/empty-state';
import { ErrorSummary, TextField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';
import { Table } from '~/ui/table';

export const handle: RouteHandle = { title: (t) => t('workspaces:divisions.title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.manageDivisions(member.role));
  const divisions = await listDivisions(member.ctx);
  return {
    slug: member.workspace.slug,
    divisions: divisions.map((division) => ({
      id: division.id,
      name: division.name,
      memberCount: Number(division.memberCount),
    })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.manageDivisions(member.role));
  const submission = await parseForm(request, divisionSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const result = await createDivision(member.ctx, submission.value.name);
  if (result === 'name_taken')
    return invalidForm(submission, {
      fieldErrors: { name: ['workspaces:validation.divisionTaken'] },
    });
  return redirectWithFlash(`/w/${member.workspace.slug}/admin/divisions`, {
    kind: 'success',
    key: 'workspaces:divisions.created',
    values: { name: submission.value.name },
  });
}

export default function Divisions() {
  const t = useT();
  const { slug, divisions } = useLoaderData<typeof loader>();
  const form = useFormState('new-division', useActionData<typeof action>()?.result);
  return (
    <>
      <PageHeader
        title={t('workspaces:divisions.title')}
        description={t('workspaces:divisions.intro')}
      />
      {divisions.length === 0 ? (
        <EmptyState title={t('workspaces:divisions.none')} />
      ) : (
        <Table
          caption={t('workspaces:divisions.caption')}
          rows={divisions}
          rowKey={(row) => row.id}
          columns={[
            {
              header: t('workspaces:fields.name'),
              rowHeader: true,
              cell: (row) => <a href={`/w/${slug}/admin/divisions/${row.id}`}>{row.name}</a>,
            },
            {
              header: t('workspaces:divisions.members'),
              numeric: true,
              cell: (row) => row.memberCount,
            },
          ]}
        />
      )}
      <h2>{t('workspaces:divisions.createTitle')}</h2>
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <TextField field={form.field('name')} label={t('workspaces:fields.name')} required />
        <Button>{t('workspaces:divisions.create')}</Button>
      </form>
    </>
  );
}
