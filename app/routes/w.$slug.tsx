import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { Outlet, useLoaderData } from '@remix-run/react';
import { notificationsTopic } from '~/modules/notifications/notify.server';
import { countUnread, UNREAD_COUNT_CAP } from '~/modules/notifications/notifications.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { useT } from '~/platform/document-context';
import type { RouteHandle } from '~/platform/page-title';

/** Every workspace page follows my notifications (the header's count); a deleted one nothing. */
export const handle: RouteHandle = {
  liveTopics: (data: WorkspaceLayoutData) =>
    data.workspace.deleted ? [] : [data.notifications.topic],
};

/** Every page of a workspace: membership checked here and again by each page's own loader. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params, { allowDeleted: true });
  const settingsPath = `/w/${member.workspace.slug}/admin/settings`;
  // A deleted workspace shows only its settings page, where an owner can restore it.
  if (member.workspace.deletedAt && new URL(request.url).pathname !== settingsPath)
    throw redirect(settingsPath);
  return {
    workspace: {
      name: member.workspace.name,
      slug: member.workspace.slug,
      brandColor: member.workspace.brandColor,
      logoFileId: member.workspace.logoFileId,
      deleted: Boolean(member.workspace.deletedAt),
    },
    membership: { role: member.role },
    // For the header: a count from the unread index, and the topic that keeps it current.
    notifications: {
      unread: await countUnread(member),
      cap: UNREAD_COUNT_CAP,
      topic: notificationsTopic(member.user.id),
    },
  };
}

export type WorkspaceLayoutData = Awaited<ReturnType<typeof loader>>;

export default function WorkspaceLayout() {
  const t = useT();
  const { workspace } = useLoaderData<typeof loader>();
  return (
    <>
      {workspace.deleted ? (
        <div className="flash flash--error" role="status">
          {t('workspaces:settings.deletedBanner')}
        </div>
      ) : null}
      <Outlet />
    </>
  );
}
