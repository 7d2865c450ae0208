import { useFormat, useT } from '~/platform/document-context';
import { DueDate, statusName, type CardTask } from './components';
import { activityText } from './task-page';

type Progress = {
  byStatus: Array<{ id: string; name: string | null; preset: string | null; count: number }>;
  overdue: number;
  upcoming: Array<CardTask>;
  total: number;
  done: number;
};
type ActivityEntry = {
  id: number | string;
  field: string;
  fromValue: string | null;
  toValue: string | null;
  createdAt: Date | string;
  actorName: string | null;
  taskKey: string;
  taskTitle: string;
};

/** A project at a glance: how far along it is, what is late, what is due next, what just happened. */
export function ProjectProgress({
  slug,
  progress,
  activity,
  today,
  listHref,
}: {
  slug: string;
  progress: Progress;
  activity: ActivityEntry[];
  today: string;
  listHref: string;
}) {
  const t = useT();
  const format = useFormat();
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">{t('tasks:progress.title')}</h2>
      {progress.total === 0 ? (
        <p className="muted">{t('tasks:progress.none')}</p>
      ) : (
        <>
          <p>
            <label htmlFor="project-progress">
              {t('tasks:progress.done', { done: progress.done, count: progress.total })}
            </label>{' '}
            <meter id="project-progress" min={0} max={progress.total} value={progress.done}>
              {format.number(progress.done / progress.total, { style: 'percent' })}
            </meter>
          </p>
          <ul className="inline-list">
            {progress.byStatus.map((status) => (
              <li key={status.id}>
                <a href={`${listHref}?status=${status.id}`}>
                  {statusName(t, status)}: {format.number(status.count)}
                </a>
              </li>
            ))}
            <li>
              <a
                href={`${listHref}?due=overdue`}
                className={progress.overdue > 0 ? 'due--overdue' : undefined}
              >
                {t('tasks:progress.overdue', { count: progress.overdue })}
              </a>
            </li>
          </ul>
        </>
      )}
      {progress.upcoming.length > 0 ? (
        <>
          <h3>{t('tasks:progress.upcoming')}</h3>
          <ul>
            {progress.upcoming.map((task) => (
              <li key={task.id}>
                <a href={`/w/${slug}/tasks/${task.key}`}>
                  <span className="muted">{task.key}</span> {task.title}
                </a>{' '}
                <DueDate day={task.dueDate} today={today} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {activity.length > 0 ? (
        <>
          <h3>{t('tasks:progress.recent')}</h3>
          <ul>
            {activity.map((entry) => (
              <li key={entry.id}>
                <a href={`/w/${slug}/tasks/${entry.taskKey}`}>{entry.taskKey}</a>{' '}
                {activityText(t, format, entry)}{' '}
                <time className="muted" dateTime={new Date(entry.createdAt).toISOString()}>
                  {format.relative(entry.createdAt)}
                </time>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
