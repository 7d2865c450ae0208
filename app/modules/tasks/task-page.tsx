import { useFormat, useT } from '~/platform/document-context';
import type { T } from '~/platform/i18n/i18n';
import { Button } from '~/ui/button';
import { DescriptionList } from '~/ui/description-list';
import {
  DueDate,
  LabelChip,
  PriorityBadge,
  statusName,
  StatusOptions,
  PeopleOptions,
  PriorityOptions,
} from './components';
import type { TaskPageData } from './task-page.server';

type Props = { data: TaskPageData; oob?: boolean };

/** hx-swap-oob on a section when it travels in a live event; nothing on the page itself. */
const swap = (oob?: boolean) => (oob ? { 'hx-swap-oob': 'true' } : {});

/** The task's state and, for those who may change it, the form that changes it. */
export function TaskSummary({ data, oob }: Props) {
  const t = useT();
  const { task } = data;
  const action = `/w/${data.slug}/tasks/${task.key}`;
  return (
    <section id="task-summary" aria-labelledby="task-summary-title" {...swap(oob)}>
      <h2 id="task-summary-title">{t('tasks:page.details')}</h2>
      <DescriptionList
        items={[
          {
            term: t('tasks:fields.status'),
            detail: statusName(t, { name: task.statusName, preset: task.statusPreset }),
          },
          { term: t('tasks:fields.assignee'), detail: task.assigneeName ?? t('tasks:nobody') },
          {
            term: t('tasks:fields.priority'),
            detail:
              task.priority === 'none' ? (
                t('tasks:priority.none')
              ) : (
                <PriorityBadge priority={task.priority} />
              ),
          },
          {
            term: t('tasks:fields.dueDate'),
            detail: task.dueDate ? (
              <DueDate day={task.dueDate} today={data.today} done={task.completedAt !== null} />
            ) : (
              t('tasks:due.noDate')
            ),
          },
          {
            term: t('tasks:fields.labels'),
            detail:
              data.labels.length > 0 ? (
                <span className="label-list">
                  {data.labels.map((label) => (
                    <LabelChip key={label.id} label={label} />
                  ))}
                </span>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {data.canChange ? (
        <form method="post" action={action} className="stack">
          <input type="hidden" name="intent" value="details" />
          <div className="field">
            <label htmlFor="task-details-statusId">{t('tasks:fields.status')}</label>
            <select id="task-details-statusId" name="statusId" defaultValue={task.statusId}>
              <StatusOptions statuses={data.statuses} />
            </select>
          </div>
          <div className="field">
            <label htmlFor="task-details-assigneeId">{t('tasks:fields.assignee')}</label>
            <select
              id="task-details-assigneeId"
              name="assigneeId"
              defaultValue={task.assigneeId ?? ''}
            >
              <option value="">{t('tasks:nobody')}</option>
              <PeopleOptions people={data.people} />
            </select>
          </div>
          <div className="field">
            <label htmlFor="task-details-priority">{t('tasks:fields.priority')}</label>
            <select id="task-details-priority" name="priority" defaultValue={task.priority}>
              <PriorityOptions />
            </select>
          </div>
          <div className="field">
            <label htmlFor="task-details-dueDate">{t('tasks:fields.dueDate')}</label>
            <input
              id="task-details-dueDate"
              name="dueDate"
              type="date"
              defaultValue={task.dueDate ?? ''}
            />
          </div>
          {data.allLabels.length > 0 ? (
            <fieldset>
              <legend>{t('tasks:fields.labels')}</legend>
              {data.allLabels.map((label) => (
                <div className="checkbox" key={label.id}>
                  <input
                    type="checkbox"
                    id={`task-label-${label.id}`}
                    name="labelIds"
                    value={label.id}
                    defaultChecked={data.labels.some((mine) => mine.id === label.id)}
                  />
                  <label htmlFor={`task-label-${label.id}`}>
                    <LabelChip label={label} />
                  </label>
                </div>
              ))}
            </fieldset>
          ) : null}
          <Button>{t('tasks:page.saveDetails')}</Button>
        </form>
      ) : null}
    </section>
  );
}

export function TaskChecklist({ data, oob }: Props) {
  const t = useT();
  const action = `/w/${data.slug}/tasks/${data.task.key}`;
  const done = data.checklist.filter((item) => item.done).length;
  return (
    <section id="task-checklist" aria-labelledby="task-checklist-title" {...swap(oob)}>
      <h2 id="task-checklist-title">
        {t('tasks:checklist.title')}{' '}
        {data.checklist.length > 0 ? (
          <span className="muted">
            ({t('tasks:checklist.progress', { done, count: data.checklist.length })})
          </span>
        ) : null}
      </h2>
      {data.checklist.length === 0 ? <p className="muted">{t('tasks:checklist.empty')}</p> : null}
      <ul className="checklist">
        {data.checklist.map((item) => (
          <li
            key={item.id}
            className={item.done ? 'checklist-item checklist-item--done' : 'checklist-item'}
          >
            <span>
              <span className="visually-hidden">
                {item.done ? t('tasks:checklist.doneState') : t('tasks:checklist.openState')}:{' '}
              </span>
              {item.text}
            </span>
            {data.canChange ? (
              <>
                <form method="post" action={action}>
                  <input type="hidden" name="intent" value="checklist-toggle" />
                  <input type="hidden" name="itemId" value={item.id} />
                  <input type="hidden" name="done" value={item.done ? '0' : '1'} />
                  <Button variant="secondary" small>
                    {item.done ? t('tasks:checklist.reopen') : t('tasks:checklist.complete')}
                    <span className="visually-hidden">: {item.text}</span>
                  </Button>
                </form>
                <form method="post" action={action}>
                  <input type="hidden" name="intent" value="checklist-remove" />
                  <input type="hidden" name="itemId" value={item.id} />
                  <Button variant="secondary" small>
                    {t('tasks:checklist.remove')}
                    <span className="visually-hidden">: {item.text}</span>
                  </Button>
                </form>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function TaskComments({ data, oob }: Props) {
  const t = useT();
  const format = useFormat();
  return (
    <ol
      id="task-comments"
      className="comments"
      aria-label={t('tasks:comments.title')}
      {...swap(oob)}
    >
      {data.comments.map((comment) => (
        <li key={comment.id} id={`comment-${comment.id}`} className="comment">
          <p className="comment-meta">
            <strong>{comment.authorName ?? t('common:deletedUser')}</strong>{' '}
            <time dateTime={new Date(comment.createdAt).toISOString()}>
              {format.date(comment.createdAt, 'dateTime')}
            </time>
          </p>
          {/* markdown-it with raw HTML off: see markdown.server.ts. */}
          <div className="prose" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
        </li>
      ))}
    </ol>
  );
}

/** One line of history: "Maya Müller changed the status from To do to In review". */
export function activityText(
  t: T,
  format: { day(day: string): string },
  entry: {
    field: string;
    fromValue: string | null;
    toValue: string | null;
    actorName: string | null;
  },
): string {
  const actor = entry.actorName ?? t('common:deletedUser');
  const value = (raw: string | null) => {
    if (raw === null) return t('tasks:activity.empty');
    if (entry.field === 'status' && raw.startsWith('preset:'))
      return t(`tasks:presets.${raw.slice(7)}` as never) as string;
    if (entry.field === 'priority') return t(`tasks:priority.${raw}` as never) as string;
    if (entry.field === 'due_date') return format.day(raw);
    return raw;
  };
  return t(`tasks:activity.${entry.field}` as never, {
    actor,
    from: value(entry.fromValue),
    to: value(entry.toValue),
  }) as string;
}

export function TaskActivity({ data, oob }: Props) {
  const t = useT();
  const format = useFormat();
  return (
    <section id="task-activity" aria-labelledby="task-activity-title" {...swap(oob)}>
      <h2 id="task-activity-title">{t('tasks:activity.title')}</h2>
      <ol className="activity">
        {data.activity.map((entry) => (
          <li key={entry.id}>
            {activityText(t, format, entry)}{' '}
            <time className="muted" dateTime={new Date(entry.createdAt).toISOString()}>
              {format.date(entry.createdAt, 'dateTime')}
            </time>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A live event on the task page: every section that may have changed, swapped by id. */
export function TaskLiveSections({ data }: { data: TaskPageData }) {
  return (
    <>
      <TaskSummary data={data} oob />
      <TaskChecklist data={data} oob />
      <TaskComments data={data} oob />
      <TaskActivity data={data} oob />
    </>
  );
}
