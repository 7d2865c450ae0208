import { useT } from '~/platform/document-context';
import { TaskRow, type CardTask } from './components';
import type { DueGroup } from './queries.server';

const groupOrder: DueGroup[] = ['overdue', 'today', 'week', 'later', 'none'];

/** My open tasks across projects, grouped by when they are due; empty groups are left out. */
export function MyTasks({
  groups,
  slug,
  today,
  headingLevel = 2,
}: {
  groups: Record<DueGroup, Array<CardTask & { projectName: string }>>;
  slug: string;
  today: string;
  headingLevel?: 2 | 3;
}) {
  const t = useT();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const total = groupOrder.reduce((sum, group) => sum + groups[group].length, 0);
  if (total === 0) return <p className="muted">{t('tasks:mine.none')}</p>;
  return (
    <>
      {groupOrder
        .filter((group) => groups[group].length > 0)
        .map((group) => (
          <section key={group} aria-labelledby={`mine-${group}`}>
            <Heading id={`mine-${group}`}>
              {t(`tasks:mine.groups.${group}`)}{' '}
              <span className="muted">({groups[group].length})</span>
            </Heading>
            <ul className="task-rows">
              {groups[group].map((task) => (
                <TaskRow key={task.id} task={task} slug={slug} today={today} showProject />
              ))}
            </ul>
          </section>
        ))}
    </>
  );
}
