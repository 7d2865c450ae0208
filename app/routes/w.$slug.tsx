import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { Outlet, useLoaderData } from '@remix-run/react';
import { countUnreadMessages, inboxTopic, UNREAD_CAP } from '~/modules/chat/conversations.server';
import { notificationsTopic } from '~/modules/notifications/notify.server';
import { countUnreadIn, UNREAD_COUNT_CAP } from '~/modules/notifications/notifications.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { liveCursor } from '~/platform/live/notify.server';
import { useT } from '~/platform/document-context';
import type { RouteHandle } from '~/platform/page-title';

/**
 * Every workspace page follows my notifications and my unread messages (the header's counts);
 * a deleted one nothing.
 */
export const handle: RouteHandle = {
  liveTopics: (data: WorkspaceLayoutData) =>
    data.workspace.deleted ? [] : [data.notifications.topic, data.chat.topic],
};

/** Every page of a workspace: membership checked here and again by each page's own loader. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params, { allowDeleted: true });
  const settingsPath = `/w/${member.workspace.slug}/admin/settings`;
  // A deleted workspace shows only its settings page, where an owner can restore it.
  if (member.workspace.deletedAt && new URL(request.url).pathname !== settingsPath)
    throw redirect(settingsPath);
  // Where the page's stream starts, then both counts, in one transaction: this loader runs for
  // every page of the workspace, beside the page's own.
  const [liveSince, notificationsUnread, chatUnread] = await withWorkspace(
    member.ctx,
    async (trx) => [
      await liveCursor(trx),
      await countUnreadIn(trx, member.user.id, member.workspace.id),
      await countUnreadMessages(trx, member.user.id),
    ],
  );
  return {
    workspace: {
      name: member.workspace.name,
      slug: member.workspace.slug,
      brandColor: member.workspace.brandColor,
      logoFileId: member.workspace.logoFileId,
      deleted: Boolean(member.workspace.deletedAt),
    },
    membership: { role: member.role },
    /** The page's live stream starts from here (see liveCursor). */
    liveSince,
    // For the header: a count from the unread index, and the topic that keeps it current.
    notifications: {
      unread: notificationsUnread,
      cap: UNREAD_COUNT_CAP,
      topic: notificationsTopic(member.user.id),
    },
    chat: {
      unread: chatUnread,
      cap: UNREAD_CAP,
      topic: inboxTopic(member.workspace.id),
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
