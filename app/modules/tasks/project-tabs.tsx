import { useT } from '~/platform/document-context';

/** A project's views: its overview, its task list and its board. */
export function ProjectTabs({
  base,
  current,
}: {
  base: string;
  current: 'overview' | 'list' | 'board';
}) {
  const t = useT();
  const tabs = [
    { id: 'overview', href: base, label: t('tasks:tabs.overview') },
    { id: 'list', href: `${base}/tasks`, label: t('tasks:tabs.list') },
    { id: 'board', href: `${base}/board`, label: t('tasks:tabs.board') },
  ] as const;
  return (
    <nav className="subnav" aria-label={t('tasks:tabs.label')}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.id}>
            <a href={tab.href} aria-current={tab.id === current ? 'page' : undefined}>
              {tab.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
