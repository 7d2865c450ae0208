import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { ProjectStatusBadge } from '~/modules/projects/components';
import { projectPolicy } from '~/modules/projects/policy';
import { isoDate, listProjects } from '~/modules/projects/projects.server';
import { projectFilterSchema, projectStatuses } from '~/modules/projects/schema';
import { requireMember } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { useFormat, useT } from '~/platform/document-context';
import type { RouteHandle } from '~/platform/page-title';
import { Button, buttonClass } from '~/ui/button';
import { EmptyState } from '~/ui/empty-state';
import { PageHeader } from '~/ui/page-header';
import { Table } from '~/ui/table';

export const handle: RouteHandle = { title: (t) => t('projects:title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const url = new URL(request.url);
  const filters = projectFilterSchema.parse(
    Object.fromEntries([...url.searchParams].filter(([, value]) => value !== '')),
  );
  const projects = await listProjects(member, {
    ...filters,
    trash: filters.trash && roleAtLeast(member.role, 'manager'),
  });
  return {
    slug: member.workspace.slug,
    filters,
    canCreate: projectPolicy.create(member.role),
    // Managers restore any project; the trash lists what they may bring back.
    canSeeTrash: roleAtLeast(member.role, 'manager'),
    projects: projects.map((project) => ({
      ...project,
      targetDate: project.targetDate ? isoDate(project.targetDate) : null,
    })),
  };
}

export default function Projects() {
  const t = useT();
  const format = useFormat();
  const { slug, filters, canCreate, canSeeTrash, projects } = useLoaderData<typeof loader>();
  const base = `/w/${slug}/projects`;
  return (
    <>
      <PageHeader
        title={filters.trash ? t('projects:trash.title') : t('projects:title')}
        description={t('projects:count', { count: projects.length })}
        actions={
          <span className="button-row">
            {canSeeTrash ? (
              <a href={filters.trash ? base : `${base}?trash=1`}>
                {filters.trash ? t('projects:trash.back') : t('projects:trash.link')}
              </a>
            ) : null}
            {canCreate ? (
              <a className={buttonClass()} href={`${base}/new`}>
                {t('projects:new.link')}
              </a>
            ) : null}
          </span>
        }
      />
      <form method="get" className="filters" role="search" aria-label={t('projects:filters.label')}>
        <div className="field">
          <label htmlFor="projects-q">{t('projects:filters.search')}</label>
          <input id="projects-q" name="q" type="search" defaultValue={filters.q ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="projects-status">{t('projects:fields.status')}</label>
          <select id="projects-status" name="status" defaultValue={filters.status ?? ''}>
            <option value="">{t('projects:filters.open')}</option>
            {projectStatuses.map((status) => (
              <option key={status} value={status}>
                {t(`projects:status.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary">{t('common:actions.filter')}</Button>
      </form>
      {projects.length === 0 ? (
        <EmptyState title={t('projects:none')} />
      ) : (
        <Table
          caption={t('projects:caption')}
          rows={projects}
          rowKey={(row) => row.id}
          columns={[
            {
              header: t('projects:fields.name'),
              rowHeader: true,
              cell: (row) => (
                <a href={`${base}/${row.key}`}>
                  {row.name} <span className="muted">({row.key})</span>
                </a>
              ),
            },
            {
              header: t('projects:fields.status'),
              cell: (row) => <ProjectStatusBadge status={row.status} />,
            },
            { header: t('projects:fields.lead'), cell: (row) => row.leadName ?? '—' },
            {
              header: t('projects:fields.targetDate'),
              cell: (row) =>
                row.targetDate ? (
                  <time dateTime={row.targetDate}>
                    {format.date(`${row.targetDate}T12:00:00Z`)}
                  </time>
                ) : (
                  '—'
                ),
            },
            {
              header: t('projects:fields.members'),
              numeric: true,
              cell: (row) => format.number(row.memberCount),
            },
          ]}
        />
      )}
    </>
  );
}
