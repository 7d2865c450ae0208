import { getReader } from '~/modules/accounts/reader.server';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { AuditTable } from '~/modules/audit/components';
import { presentAuditEvent } from '~/modules/audit/present';
import { ConversationList } from '~/modules/chat/components';
import { listConversations, UNREAD_CAP } from '~/modules/chat/conversations.server';
import { MyTasks } from '~/modules/tasks/my-tasks';
import { myTasks } from '~/modules/tasks/queries.server';
import { workspaceHome } from '~/modules/workspaces/home.server';
import { withWorkspace } from '~/platform/db/database.server';
import { createFormatter } from '~/platform/i18n/format';
import { requireMember } from '~/modules/workspaces/queries.server';
import { roles } from '~/modules/workspaces/roles';
import { useT } from '~/platform/document-context';
import { getT } from '~/platform/i18n/i18n';
import type { RouteHandle } from '~/platform/page-title';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('workspaces:home.title') };

/** Unread conversations on the home page: the few most recently active. */
const HOME_CONVERSATIONS = 5;

/** The workspace's home: who is here, and for admins what needs attention and what just happened. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  const home = await workspaceHome(member, reader.timeZone);
  const t = getT(reader.locale);
  return {
    slug: member.workspace.slug,
    name: member.workspace.name,
    userName: member.user.name,
    role: member.role,
    admin: home.admin,
    counts: home.counts,
    pendingInvitations: home.pendingInvitations,
    failedJobs: home.failedJobs,
    recent: home.recent.map((row) => presentAuditEvent(row, t)),
    today: createFormatter(reader.locale, reader.timeZone).isoDate(new Date()),
    ...(await withWorkspace(member.ctx, async (trx) => ({
      myTasks: await myTasks(trx, member, reader.timeZone),
      unreadConversations: (await listConversations(trx, member))
        .filter((conversation) => conversation.unread > 0 && !conversation.muted)
        .slice(0, HOME_CONVERSATIONS),
    }))),
  };
}

export default function WorkspaceHome() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const total = Object.values(data.counts).reduce((sum, count) => sum + (count ?? 0), 0);
  return (
    <>
      <PageHeader
        title={data.name}
        description={t('workspaces:home.greeting', {
          name: data.userName,
          role: t(`workspaces:roles.${data.role}`),
        })}
      />
      <section aria-labelledby="my-tasks-title">
        <h2 id="my-tasks-title">
          <a href={`/w/${data.slug}/tasks`}>{t('tasks:mine.title')}</a>
        </h2>
        <MyTasks groups={data.myTasks} slug={data.slug} today={data.today} headingLevel={3} />
      </section>
      <section aria-labelledby="unread-conversations-title">
        <h2 id="unread-conversations-title">
          <a href={`/w/${data.slug}/chat`}>{t('chat:home.title')}</a>
        </h2>
        {data.unreadConversations.length ? (
          <ConversationList
            slug={data.slug}
            conversations={data.unreadConversations}
            cap={UNREAD_CAP}
          />
        ) : (
          <p className="muted">{t('chat:home.none')}</p>
        )}
      </section>
      <ul className="card-grid">
        {data.role !== 'guest' ? (
          <li className="card">
            <h2>{t('workspaces:home.people', { count: total })}</h2>
            <ul>
              {roles
                .filter((role) => data.counts[role])
                .map((role) => (
                  <li key={role}>
                    {t('workspaces:home.roleCount', {
                      count: data.counts[role] ?? 0,
                      role: t(`workspaces:roles.${role}`),
                    })}
                  </li>
                ))}
            </ul>
            {data.admin ? (
              <a href={`/w/${data.slug}/admin/members`}>{t('workspaces:home.manageMembers')}</a>
            ) : null}
          </li>
        ) : null}
        {data.admin ? (
          <li className="card">
            <h2>{t('workspaces:home.attention')}</h2>
            <ul>
              <li>
                <a href={`/w/${data.slug}/admin/members#invite`}>
                  {t('workspaces:home.pendingInvitations', { count: data.pendingInvitations })}
                </a>
              </li>
              <li>
                <a href={`/w/${data.slug}/admin/jobs`}>
                  {t('workspaces:home.failedJobs', { count: data.failedJobs })}
                </a>
              </li>
            </ul>
          </li>
        ) : null}
        <li className="card">
          <h2>{t('workspaces:home.yourAccount')}</h2>
          <ul>
            <li>
              <a href="/account">{t('accounts:account.nav.profile')}</a>
            </li>
            <li>
              <a href="/account/two-factor">{t('accounts:account.nav.twoFactor')}</a>
            </li>
            <li>
              <a href="/account/sessions">{t('accounts:account.nav.sessions')}</a>
            </li>
          </ul>
        </li>
      </ul>
      {data.admin && data.recent.length > 0 ? (
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">{t('workspaces:home.recentActivity')}</h2>
          <AuditTable rows={data.recent} />
          <a href={`/w/${data.slug}/admin/audit`}>{t('workspaces:home.fullLog')}</a>
        </section>
      ) : null}
    </>
  );
}
