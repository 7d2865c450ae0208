import { EmailInput } from '~/modules/accounts/components';
import { getReader } from '~/modules/accounts/reader.server';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { listDivisions } from '~/modules/workspaces/divisions.server';
import { inviteMember, listPendingInvitations } from '~/modules/workspaces/invitations.server';
import { listMembers } from '~/modules/workspaces/members.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { roles } from '~/modules/workspaces/roles';
import { inviteSchema, memberFilterSchema } from '~/modules/workspaces/schema';
import { useFormat, useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { consumeLimit } from '~/platform/rate-limit.server';
import { Button } from '~/ui/button';
import { EmptyState } from '~/ui/empty-state';
import { ErrorSummary, SelectField, useFormState } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';
import { Pagination, pageFromUrl } from '~/ui/pagination';
import { Table } from '~/ui/table';

export const handle: RouteHandle = { title: (t) => t('workspaces:members.title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.manageMembers(member.role));
  const url = new URL(request.url);
  const filters = memberFilterSchema.parse(
    Object.fromEntries([...url.searchParams].filter(([, value]) => value !== '')),
  );
  const page = pageFromUrl(url);
  const [members, invitations, divisions] = await Promise.all([
    listMembers(member.ctx, filters, page),
    listPendingInvitations(member.ctx),
    listDivisions(member.ctx),
  ]);
  return {
    slug: member.workspace.slug,
    actorRole: member.role,
    filters,
    page,
    pageCount: members.pageCount,
    total: members.total,
    members: members.rows.map((row) => ({ ...row, joinedAt: row.joinedAt.toISOString() })),
    invitations: invitations.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      lastSentAt: row.lastSentAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
    })),
    divisions: divisions.map((division) => ({ id: division.id, name: division.name })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.invite(member.role));
  const submission = await parseForm(request, inviteSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  await consumeLimit('invitationsByWorkspace', member.workspace.id);
  const result = await inviteMember(member.ctx, submission.value, reader.locale);
  if (result.kind === 'already_member')
    return invalidForm(submission, {
      fieldErrors: { email: ['workspaces:validation.alreadyMember'] },
    });
  if (result.kind === 'already_invited')
    return invalidForm(submission, {
      fieldErrors: { email: ['workspaces:validation.alreadyInvited'] },
    });
  return redirectWithFlash(`/w/${member.workspace.slug}/admin/members`, {
    kind: 'success',
    key: 'workspaces:members.invited',
    values: { email: submission.value.email },
  });
}

export default function Members() {
  const t = useT();
  const format = useFormat();
  const data = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const form = useFormState('invitation', useActionData<typeof action>()?.result, {
    role: 'member',
  });
  const roleOptions = roles.map((role) => ({ value: role, label: t(`workspaces:roles.${role}`) }));
  const base = `/w/${data.slug}/admin`;
  return (
    <>
      <PageHeader
        title={t('workspaces:members.title')}
        description={t('workspaces:members.count', { count: data.total })}
      />

      <form
        method="get"
        className="filters"
        role="search"
        aria-label={t('workspaces:members.filtersLabel')}
      >
        <div className="field">
          <label htmlFor="members-q">{t('workspaces:members.search')}</label>
          <input id="members-q" name="q" type="search" defaultValue={data.filters.q ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="members-role">{t('workspaces:fields.role')}</label>
          <select id="members-role" name="role" defaultValue={data.filters.role ?? ''}>
            <option value="">{t('workspaces:members.anyRole')}</option>
            {roleOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="members-status">{t('workspaces:fields.status')}</label>
          <select id="members-status" name="status" defaultValue={data.filters.status ?? ''}>
            <option value="">{t('workspaces:members.anyStatus')}</option>
            <option value="active">{t('workspaces:status.active')}</option>
            <option value="deactivated">{t('workspaces:status.deactivated')}</option>
          </select>
        </div>
        {data.divisions.length > 0 ? (
          <div className="field">
            <label htmlFor="members-division">{t('workspaces:fields.division')}</label>
            <select
              id="members-division"
              name="division"
              defaultValue={data.filters.division ?? ''}
            >
              <option value="">{t('workspaces:members.anyDivision')}</option>
              {data.divisions.map((division) => (
                <option key={division.id} value={division.id}>
                  {division.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <Button variant="secondary">{t('common:actions.filter')}</Button>
      </form>

      {data.members.length === 0 ? (
        <EmptyState title={t('workspaces:members.none')} />
      ) : (
        <Table
          caption={t('workspaces:members.caption')}
          rows={data.members}
          rowKey={(row) => row.id}
          columns={[
            {
              header: t('workspaces:fields.name'),
              rowHeader: true,
              cell: (row) => (
                <a href={`${base}/members/${row.id}`}>{row.name ?? t('common:deletedUser')}</a>
              ),
            },
            { header: t('accounts:fields.email'), cell: (row) => row.email },
            {
              header: t('workspaces:fields.role'),
              cell: (row) => t(`workspaces:roles.${row.role}`),
            },
            {
              header: t('workspaces:fields.status'),
              cell: (row) => t(`workspaces:status.${row.status}`),
            },
            { header: t('workspaces:fields.divisions'), cell: (row) => row.divisions.join(', ') },
            {
              header: t('workspaces:members.joined'),
              cell: (row) => <time dateTime={row.joinedAt}>{format.date(row.joinedAt)}</time>,
            },
          ]}
        />
      )}
      <Pagination page={data.page} pageCount={data.pageCount} search={search} />

      <h2 id="invite">{t('workspaces:members.inviteTitle')}</h2>
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <EmailInput field={form.field('email')} autoComplete="off" />
        <SelectField
          field={form.field('role')}
          label={t('workspaces:fields.role')}
          options={roleOptions.filter((option) => option.value !== 'owner')}
        />
        <Button>{t('workspaces:members.invite')}</Button>
      </form>

      <h2>{t('workspaces:members.pendingTitle')}</h2>
      {data.invitations.length === 0 ? (
        <p className="muted">{t('workspaces:members.noPending')}</p>
      ) : (
        <Table
          caption={t('workspaces:members.pendingCaption')}
          rows={data.invitations}
          rowKey={(row) => row.id}
          columns={[
            { header: t('accounts:fields.email'), rowHeader: true, cell: (row) => row.email },
            {
              header: t('workspaces:fields.role'),
              cell: (row) => t(`workspaces:roles.${row.role}`),
            },
            { header: t('workspaces:members.invitedBy'), cell: (row) => row.invitedByName ?? '' },
            {
              header: t('workspaces:members.sent'),
              cell: (row) => (
                <time dateTime={row.lastSentAt}>{format.relative(row.lastSentAt)}</time>
              ),
            },
            {
              header: t('workspaces:members.expires'),
              cell: (row) =>
                new Date(row.expiresAt) < new Date() ? (
                  t('workspaces:members.expired')
                ) : (
                  <time dateTime={row.expiresAt}>{format.date(row.expiresAt)}</time>
                ),
            },
            {
              header: <span className="visually-hidden">{t('common:actions.label')}</span>,
              cell: (row) => (
                <div className="button-row">
                  <form
                    method="post"
                    action={`${base}/invitations/${row.id}/resend`}
                    className="inline-form"
                  >
                    <Button
                      variant="secondary"
                      small
                      aria-label={t('workspaces:members.resendLabel', { email: row.email })}
                    >
                      {t('workspaces:members.resend')}
                    </Button>
                  </form>
                  <form
                    method="post"
                    action={`${base}/invitations/${row.id}/revocation`}
                    className="inline-form"
                  >
                    <Button
                      variant="danger"
                      small
                      aria-label={t('workspaces:members.revokeLabel', { email: row.email })}
                    >
                      {t('workspaces:members.revoke')}
                    </Button>
                  </form>
                </div>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
