import { useLocation, useMatches, useRouteLoaderData } from '@remix-run/react';
import { workspaceNavigation } from '~/modules/navigation';
import { ChatNavLink } from '~/modules/chat/components';
import { NotificationCount } from '~/modules/notifications/components';
import { useDocument, useT } from '~/platform/document-context';
import type { WorkspaceRole } from '~/platform/db/schema';

type HeaderUser = { name: string; email: string } | null;
type WorkspaceLink = { slug: string; name: string };

export function SiteHeader({
  user,
  workspaces,
  currentSlug,
}: {
  user: HeaderUser;
  workspaces: WorkspaceLink[];
  currentSlug?: string;
}) {
  const t = useT();
  const current = workspaces.find((workspace) => workspace.slug === currentSlug);
  return (
    <>
      <header className="site-header">
        <div className="site-header__inner">
          <a className="brand" href={current ? `/w/${current.slug}` : '/'}>
            Workroom
          </a>
          <nav className="header-nav" aria-label={t('nav.account')}>
            <ul>
              {user ? (
                <>
                  <li>
                    <details className="menu">
                      <summary>
                        <span className="visually-hidden">{t('nav.switchWorkspace')}: </span>
                        {current?.name ?? t('nav.workspaces')}
                      </summary>
                      <ul className="menu__list">
                        {workspaces.map((workspace) => (
                          <li key={workspace.slug}>
                            <a
                              href={`/w/${workspace.slug}`}
                              aria-current={workspace.slug === currentSlug ? 'page' : undefined}
                            >
                              {workspace.name}
                            </a>
                          </li>
                        ))}
                        <li>
                          <a href="/workspaces/new">{t('nav.newWorkspace')}</a>
                        </li>
                      </ul>
                    </details>
                  </li>
                  <li>
                    <a href="/account">{user.name}</a>
                  </li>
                  <li>
                    <form method="post" action="/logout" className="inline-form">
                      <button type="submit" className="link-button">
                        {t('nav.signOut')}
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a href="/login">{t('nav.signIn')}</a>
                  </li>
                  <li>
                    <a href="/signup">{t('nav.signUp')}</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </div>
      </header>
      {current ? <WorkspaceNav slug={current.slug} name={current.name} /> : null}
    </>
  );
}

function WorkspaceNav({ slug, name }: { slug: string; name: string }) {
  const t = useT();
  const { pathname } = useLocation();
  const workspace = useRouteLoaderData<{
    membership: { role: WorkspaceRole };
    workspace: { logoFileId: string | null; deleted: boolean };
    notifications: { unread: number; cap: number; topic: string };
    chat: { unread: number; cap: number };
  }>('routes/w.$slug');
  const chatUnread = usePageChatUnread() ?? workspace?.chat.unread ?? 0;
  if (!workspace) return null;
  const items = workspaceNavigation(slug, workspace.membership.role, t, pathname);
  const logo = workspace.workspace.logoFileId;
  const notifications = workspace.notifications;
  const onNotifications = pathname.startsWith(`/w/${slug}/notifications`);
  const count = (
    <NotificationCount
      slug={slug}
      unread={notifications.unread}
      cap={notifications.cap}
      current={onNotifications}
    />
  );
  return (
    <nav className="workspace-nav" aria-label={t('nav.workspace', { name })}>
      <div className="workspace-nav__inner">
        {logo ? (
          // The navigation's label names the workspace; the logo beside it is decoration.
          <img
            className="workspace-logo"
            src={`/w/${slug}/logo?v=${logo}`}
            alt=""
            width={32}
            height={32}
          />
        ) : null}
        <ul>
          {items.map((item) => (
            <li key={item.href}>
              <a href={item.href} aria-current={item.current ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
          {workspace.workspace.deleted ? null : (
            // With JavaScript, the page's stream keeps the unread count current.
            <li sse-swap="inbox" hx-swap="none">
              <ChatNavLink
                slug={slug}
                unread={chatUnread}
                cap={workspace.chat.cap}
                current={pathname === `/w/${slug}/chat` || pathname.startsWith(`/w/${slug}/chat/`)}
              />
            </li>
          )}
          {onNotifications || workspace.workspace.deleted ? (
            // The page lists them all (and a live count would drop the link's aria-current); a
            // deleted workspace streams nothing.
            <li>{count}</li>
          ) : (
            // With JavaScript, the page's stream (root.tsx) keeps the count current.
            <li sse-swap="notification.created" hx-swap="none">
              {count}
            </li>
          )}
        </ul>
      </div>
    </nav>
  );
}

export function SiteFooter() {
  const { t, locale } = useDocument();
  const { pathname, search } = useLocation();
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <p>{t('footer.tagline')}</p>
        <form method="post" action="/locale" className="inline-form">
          <input type="hidden" name="redirectTo" value={`${pathname}${search}`} />
          <span role="group" aria-labelledby="language-label">
            <span id="language-label">{t('footer.language')}: </span>
            <button
              type="submit"
              name="locale"
              value="en"
              className="link-button"
              lang="en"
              aria-pressed={locale === 'en'}
            >
              English
            </button>{' '}
            ·{' '}
            <button
              type="submit"
              name="locale"
              value="es"
              className="link-button"
              lang="es"
              aria-pressed={locale === 'es'}
            >
              Español
            </button>
          </span>
        </form>
      </div>
    </footer>
  );
}

/**
 * The unread count as a page that has just marked a conversation read gives it (the workspace
 * layout counts beside that page's loader, so its own count may still include it).
 */
function usePageChatUnread(): number | undefined {
  const matches = useMatches();
  for (let index = matches.length - 1; index >= 0; index--) {
    const data = matches[index]!.data as { headerChatUnread?: number } | null | undefined;
    if (typeof data?.headerChatUnread === 'number') return data.headerChatUnread;
  }
  return undefined;
}
