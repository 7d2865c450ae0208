import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useLocation, useRouteLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { NotificationList } from '~/modules/notifications/components';
import {
  listNotifications,
  markAllRead,
  NOTIFICATIONS_PAGE_SIZE,
} from '~/modules/notifications/notifications.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { readForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { EmptyState } from '~/ui/empty-state';
import { PageHeader } from '~/ui/page-header';
import { Pagination, pageFromUrl } from '~/ui/pagination';
import type { WorkspaceLayoutData } from './w.$slug';

export const handle: RouteHandle = { title: (t) => t('notifications:title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const url = new URL(request.url);
  const unreadOnly = url.searchParams.get('show') === 'unread';
  const page = pageFromUrl(url);
  const { rows, total, asOf } = await listNotifications(member, { page, unreadOnly });
  return {
    slug: member.workspace.slug,
    unreadOnly,
    page,
    pageCount: Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE_SIZE)),
    shownAt: asOf.toISOString(),
    notifications: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      excerpt: row.excerpt,
      actorName: row.actorName,
      createdAt: row.createdAt.toISOString(),
      read: row.readAt !== null,
    })),
  };
}

const markAllSchema = z.object({ shownAt: z.iso.datetime() });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const form = markAllSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!form.success) throw badRequest();
  await markAllRead(member, new Date(form.data.shownAt));
  return redirectWithFlash(`/w/${member.workspace.slug}/notifications`, {
    kind: 'success',
    key: 'notifications:markedAllRead',
  });
}

export default function Notifications() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const base = `/w/${data.slug}/notifications`;
  // The header's count covers every page of the list, not just this one.
  const unread = useRouteLoaderData<WorkspaceLayoutData>('routes/w.$slug')?.notifications.unread;
  return (
    <>
      <PageHeader
        title={t('notifications:title')}
        description={t('notifications:intro')}
        actions={
          unread ? (
            <form method="post" action={base} className="inline-form">
              <input type="hidden" name="shownAt" value={data.shownAt} />
              <Button variant="secondary">{t('notifications:markAllRead')}</Button>
            </form>
          ) : null
        }
      />
      <nav className="subnav" aria-label={t('notifications:filter.label')}>
        <ul>
          <li>
            <a href={base} aria-current={data.unreadOnly ? undefined : 'page'}>
              {t('notifications:filter.all')}
            </a>
          </li>
          <li>
            <a href={`${base}?show=unread`} aria-current={data.unreadOnly ? 'page' : undefined}>
              {t('notifications:filter.unread')}
            </a>
          </li>
        </ul>
      </nav>
      {data.notifications.length === 0 ? (
        <EmptyState
          title={data.unreadOnly ? t('notifications:noneUnread') : t('notifications:none')}
        >
          <p>{t('notifications:noneHint')}</p>
        </EmptyState>
      ) : (
        <NotificationList slug={data.slug} notifications={data.notifications} />
      )}
      <Pagination page={data.page} pageCount={data.pageCount} search={search} />
    </>
  );
}
