import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { deleteDivision, getDivision, renameDivision } from '~/modules/workspaces/divisions.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { divisionSchema } from '~/modules/workspaces/schema';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest, notFound, uuidParam } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, TextField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = {
  title: (_t, data: { division: { name: string } }) => data.division.name,
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.manageDivisions(member.role));
  const division = await getDivision(member.ctx, uuidParam(params.id));
  if (!division) throw notFound();
  return { slug: member.workspace.slug, division };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.manageDivisions(member.role));
  const divisionId = uuidParam(params.id);
  const list = `/w/${member.workspace.slug}/admin/divisions`;
  const intent = z
    .enum(['rename', 'delete'])
    .safeParse((await readForm(request.clone())).get('intent'));
  if (!intent.success) throw badRequest();
  if (intent.data === 'delete') {
    if (!(await deleteDivision(member.ctx, divisionId))) throw notFound();
    return redirectWithFlash(list, { kind: 'success', key: 'workspaces:divisions.deleted' });
  }
  const submission = await parseForm(request, divisionSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const result = await renameDivision(member.ctx, divisionId, submission.value.name);
  if (result === 'not_found') throw notFound();
  if (result === 'name_taken')
    return invalidForm(submission, {
      fieldErrors: { name: ['workspaces:validation.divisionTaken'] },
    });
  return redirectWithFlash(`${list}/${divisionId}`, {
    kind: 'success',
    key: 'workspaces:divisions.renamed',
  });
}

export default function Division() {
  const t = useT();
  const { slug, division } = useLoaderData<typeof loader>();
  const form = useFormState('rename-division', useActionData<typeof action>()?.result, {
    name: division.name,
  });
  return (
    <>
      <p>
        <a href={`/w/${slug}/admin/divisions`}>{t('workspaces:divisions.backToList')}</a>
      </p>
      <PageHeader
        title={division.name}
        description={t('workspaces:divisions.memberCount', { count: division.members.length })}
      />
      {division.members.length > 0 ? (
        <ul>
          {division.members.map((person) => (
            <li key={person.id}>
              <a href={`/w/${slug}/admin/members/${person.id}`}>{person.name}</a>{' '}
              <span className="muted">{person.email}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('workspaces:divisions.noMembers')}</p>
      )}
      <p className="muted">{t('workspaces:divisions.assignHint')}</p>
      <h2>{t('workspaces:divisions.renameTitle')}</h2>
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <input type="hidden" name="intent" value="rename" />
        <TextField field={form.field('name')} label={t('workspaces:fields.name')} required />
        <Button>{t('workspaces:divisions.rename')}</Button>
      </form>
      <h2>{t('workspaces:divisions.deleteTitle')}</h2>
      <form method="post">
        <input type="hidden" name="intent" value="delete" />
        <p>{t('workspaces:divisions.deleteIntro')}</p>
        <Button variant="danger">{t('workspaces:divisions.delete')}</Button>
      </form>
    </>
  );
}
