import type { WorkspaceRole } from '~/platform/db/schema';
import type { T } from '~/platform/i18n/i18n';
import { roleAtLeast } from './workspaces/roles';

/** The workspace's main navigation; each capability adds its entry here when it exists. */
type NavItem = {
  href: (slug: string) => string;
  label: (t: T) => string;
  minimumRole: WorkspaceRole;
  exact?: boolean;
};

const items: NavItem[] = [
  { href: (slug) => `/w/${slug}`, label: (t) => t('nav.home'), minimumRole: 'guest', exact: true },
  {
    href: (slug) => `/w/${slug}/tasks`,
    label: (t) => t('nav.myTasks'),
    minimumRole: 'guest',
    // A task's own page (/tasks/ACME-42) belongs to its project, not to "My tasks".
    exact: true,
  },
  {
    href: (slug) => `/w/${slug}/projects`,
    label: (t) => t('nav.projects'),
    minimumRole: 'guest',
  },
  { href: (slug) => `/w/${slug}/files`, label: (t) => t('nav.files'), minimumRole: 'member' },
  { href: (slug) => `/w/${slug}/labels`, label: (t) => t('nav.labels'), minimumRole: 'member' },
  {
    href: (slug) => `/w/${slug}/admin/members`,
    label: (t) => t('nav.members'),
    minimumRole: 'admin',
  },
  {
    href: (slug) => `/w/${slug}/admin/divisions`,
    label: (t) => t('nav.divisions'),
    minimumRole: 'admin',
  },
  { href: (slug) => `/w/${slug}/admin/audit`, label: (t) => t('nav.audit'), minimumRole: 'admin' },
  { href: (slug) => `/w/${slug}/admin/jobs`, label: (t) => t('nav.jobs'), minimumRole: 'admin' },
  {
    href: (slug) => `/w/${slug}/admin/settings`,
    label: (t) => t('nav.settings'),
    minimumRole: 'admin',
  },
];

export function workspaceNavigation(slug: string, role: WorkspaceRole, t: T, pathname: string) {
  return items
    .filter((item) => roleAtLeast(role, item.minimumRole))
    .map((item) => {
      const href = item.href(slug);
      const current = item.exact
        ? pathname === href
        : pathname === href || pathname.startsWith(`${href}/`);
      return { href, label: item.label(t), current };
    });
}
