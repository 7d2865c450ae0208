import { useFormat, useT } from '~/platform/document-context';
import { isNotificationKind } from './kinds';

/** The id the live topic swaps (hx-swap-oob) when a notification arrives. */
export const NOTIFICATION_COUNT_ID = 'notification-count';

/**
 * The header's link to my notifications with the unread count: "Notifications 3" on screen,
 * "Notifications, 3 unread" to a screen reader. `cap` is where counting stopped ("99+").
 */
export function NotificationCount({
  slug,
  unread,
  cap,
  current = false,
  oob = false,
}: {
  slug: string;
  unread: number;
  cap: number;
  current?: boolean;
  /** Rendered for a live event: htmx swaps it in place of the header's. */
  oob?: boolean;
}) {
  const t = useT();
  const format = useFormat();
  const over = unread > cap;
  return (
    <span id={NOTIFICATION_COUNT_ID} hx-swap-oob={oob ? 'true' : undefined}>
      <a href={`/w/${slug}/notifications`} aria-current={current ? 'page' : undefined}>
        {t('notifications:nav.link')}
        {unread > 0 ? (
          <>
            <span className="visually-hidden">
              {over
                ? t('notifications:nav.unreadOver', { count: cap })
                : t('notifications:nav.unread', { count: unread })}
            </span>{' '}
            <span className="badge" aria-hidden="true">
              {over ? `${format.number(cap)}+` : format.number(unread)}
            </span>
          </>
        ) : null}
      </a>
    </span>
  );
}

export type NotificationItem = {
  id: string;
  kind: string;
  title: string;
  excerpt: string | null;
  actorName: string | null;
  createdAt: string;
  read: boolean;
};

/** Newest first; each one a link that marks it read on the way to what it is about. */
export function NotificationList({
  slug,
  notifications,
}: {
  slug: string;
  notifications: NotificationItem[];
}) {
  const t = useT();
  const format = useFormat();
  return (
    <ul aria-label={t('notifications:listLabel')}>
      {notifications.map((notification) => {
        const actor = notification.actorName ?? t('notifications:someone');
        // A kind no longer known (a module removed) still shows what it was about.
        const sentence = isNotificationKind(notification.kind)
          ? t(`notifications:kinds.${notification.kind}`, { actor, title: notification.title })
          : notification.title;
        return (
          <li key={notification.id}>
            <p>
              {notification.read ? null : (
                <>
                  <span className="badge">{t('notifications:unread')}</span>{' '}
                </>
              )}
              <a href={`/w/${slug}/notifications/${notification.id}`}>
                {notification.read ? sentence : <strong>{sentence}</strong>}
              </a>
              <br />
              <time className="muted" dateTime={notification.createdAt}>
                {format.date(notification.createdAt, 'dateTime')}
              </time>
            </p>
            {notification.excerpt ? (
              <blockquote className="muted">{notification.excerpt}</blockquote>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
