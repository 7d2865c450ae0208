import { getReader } from '~/modules/accounts/reader.server';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useLocation } from '@remix-run/react';
import { AuditTable } from '~/modules/audit/components';
import { presentAuditEvent } from '~/modules/audit/present';
import { listAuditActors, listAuditEvents } from '~/modules/audit/queries.server';
import { auditActions } from '~/modules/audit/record.server';
import { auditFiltersFromUrl } from '~/modules/audit/schema';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { useT } from '~/platform/document-context';
import { getT } from '~/platform/i18n/i18n';
import type { RouteHandle } from '~/platform/page-title';
import { buttonClass, Button } from '~/ui/button';
import { EmptyState } from '~/ui/empty-state';
import { Pagination, pageFromUrl } from '~/ui/pagination';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('audit:title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.viewAuditLog(member.role));
  const url = new URL(request.url);
  const filters = auditFiltersFromUrl(url);
  const [events, actors] = await Promise.all([
    listAuditEvents(member.ctx, filters, reader.timeZone, pageFromUrl(url)),
    listAuditActors(member.ctx),
  ]);
  const t = getT(reader.locale);
  return {
    slug: member.workspace.slug,
    filters,
    rows: events.rows.map((row) => presentAuditEvent(row, t)),
    total: events.total,
    page: pageFromUrl(url),
    pageCount: events.pageCount,
    actors: actors.map((actor) => ({
      id: actor.id,
      name: actor.deletedAt ? t('common:deletedUser') : (actor.name ?? ''),
    })),
  };
}

export default function AuditLog() {
  const t = useT();
  const { slug, filters, rows, total, page, pageCount, actors } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const csvHref = `/w/${slug}/admin/audit.csv${search.replace(/([?&])page=\d+&?/, '$1').replace(/[?&]$/, '')}`;
  return (
    <>
      <PageHeader
        title={t('audit:title')}
        description={t('audit:count', { count: total })}
        actions={
          <a className={buttonClass('secondary')} href={csvHref} download hx-boost="false">
            {t('audit:exportCsv')}
          </a>
        }
      />
      <form method="get" className="filters" role="search" aria-label={t('audit:filtersLabel')}>
        <div className="field">
          <label htmlFor="audit-actor">{t('audit:filters.actor')}</label>
          <select id="audit-actor" name="actor" defaultValue={filters.actor ?? ''}>
            <option value="">{t('audit:filters.anyone')}</option>
            {actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">{t('audit:filters.action')}</label>
          <select id="audit-action" name="action" defaultValue={filters.action ?? ''}>
            <option value="">{t('audit:filters.anyAction')}</option>
            {auditActions.map((action) => (
              <option key={action} value={action}>
                {t(`audit:actions.${action}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">{t('audit:filters.from')}</label>
          <input id="audit-from" name="from" type="date" defaultValue={filters.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t('audit:filters.to')}</label>
          <input id="audit-to" name="to" type="date" defaultValue={filters.to ?? ''} />
        </div>
        <Button variant="secondary">{t('common:actions.filter')}</Button>
      </form>
      {rows.length === 0 ? <EmptyState title={t('audit:empty')} /> : <AuditTable rows={rows} />}
      <Pagination page={page} pageCount={pageCount} search={search} />
    </>
  );
}
