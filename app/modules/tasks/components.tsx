import { useFormat, useT } from '~/platform/document-context';
import type { LabelColour, StatusCategory } from '~/platform/db/schema';
import type { T } from '~/platform/i18n/i18n';
import { Button } from '~/ui/button';
import { taskPriorities } from './schema';

export type StatusOption = {
  id: string;
  name: string | null;
  preset: string | null;
  category?: StatusCategory;
};
export type PersonOption = { id: string; name: string | null };

/** A status as its reader calls it (see statusLabel in statuses.server.ts). */
export function statusName(t: T, status: { name: string | null; preset: string | null }): string {
  return status.name ?? (t(`tasks:presets.${status.preset}` as never) as string);
}

export function PriorityBadge({ priority }: { priority: string }) {
  const t = useT();
  if (priority === 'none') return null;
  return (
    <span className={`badge priority priority--${priority}`}>
      {t(`tasks:priority.${priority}` as never) as string}
    </span>
  );
}

/** Each colour is a pair (text on background) with at least 4.5:1 contrast in both themes. */
export function LabelChip({ label }: { label: { name: string; colour: LabelColour } }) {
  return <span className={`label label--${label.colour}`}>{label.name}</span>;
}

/** A due date, flagged when it has passed (for an open task) in the reader's time zone. */
export function DueDate({
  day,
  today,
  done,
}: {
  day: string | null;
  today: string;
  done?: boolean;
}) {
  const t = useT();
  const format = useFormat();
  if (!day) return null;
  const overdue = !done && day < today;
  return (
    <span className={overdue ? 'due due--overdue' : 'due'}>
      <time dateTime={day}>{format.day(day)}</time>
      {overdue ? <> ({t('tasks:due.overdue')})</> : null}
    </span>
  );
}

export type CardTask = {
  id: string;
  key: string;
  title: string;
  priority: string;
  statusId: string;
  assigneeId: string | null;
  assigneeName: string | null;
  dueDate: string | null;
  completedAt: Date | string | null;
  labels: Array<{ id: string; name: string; colour: LabelColour }>;
  checklistTotal: number;
  checklistDone: number;
  commentCount: number;
};

type CardContext = {
  slug: string;
  today: string;
  statuses: StatusOption[];
  people: PersonOption[];
  canChange: boolean;
};

function TaskMeta({ task, today }: { task: CardTask; today: string }) {
  const t = useT();
  return (
    <p className="task-meta">
      <PriorityBadge priority={task.priority} />
      <DueDate day={task.dueDate} today={today} done={task.completedAt !== null} />
      <span>{task.assigneeName ?? t('tasks:nobody')}</span>
      {task.checklistTotal > 0 ? (
        <span>
          {t('tasks:checklist.progress', { done: task.checklistDone, count: task.checklistTotal })}
        </span>
      ) : null}
      {task.commentCount > 0 ? (
        <span>{t('tasks:comments.count', { count: task.commentCount })}</span>
      ) : null}
      {task.labels.map((label) => (
        <LabelChip key={label.id} label={label} />
      ))}
    </p>
  );
}

/**
 * A card on the board. Its two forms are plain posts (the page comes back); with htmx they
 * swap only this card, the column counts and the announcement.
 */
export function TaskCard({ task, context }: { task: CardTask; context: CardContext }) {
  const t = useT();
  const action = `/w/${context.slug}/tasks/${task.key}`;
  const htmx = { 'hx-post': action, 'hx-swap': 'none', 'data-focus-card': `task-card-${task.id}` };
  return (
    <li id={`task-card-${task.id}`} className="card">
      <h3 className="card-title">
        <a href={action}>
          <span className="muted">{task.key}</span> {task.title}
        </a>
      </h3>
      <TaskMeta task={task} today={context.today} />
      {context.canChange ? (
        <div className="card-forms">
          <form method="post" action={action} {...htmx}>
            <input type="hidden" name="intent" value="status" />
            <input type="hidden" name="from" value="board" />
            <label htmlFor={`move-${task.id}`} className="visually-hidden">
              {t('tasks:board.moveLabel', { key: task.key })}
            </label>
            <select id={`move-${task.id}`} name="statusId" defaultValue={task.statusId}>
              <StatusOptions statuses={context.statuses} />
            </select>
            <Button variant="secondary" small>
              {t('tasks:board.move')}
              {/* Each card's button names its task: a list of buttons is not eleven "Move"s. */}
              <span className="visually-hidden"> {task.key}</span>
            </Button>
          </form>
          <form method="post" action={action} {...htmx}>
            <input type="hidden" name="intent" value="assignee" />
            <input type="hidden" name="from" value="board" />
            <label htmlFor={`assign-${task.id}`} className="visually-hidden">
              {t('tasks:board.assignLabel', { key: task.key })}
            </label>
            <select id={`assign-${task.id}`} name="assigneeId" defaultValue={task.assigneeId ?? ''}>
              <option value="">{t('tasks:nobody')}</option>
              <PeopleOptions people={context.people} />
            </select>
            <Button variant="secondary" small>
              {t('tasks:board.assign')}
              {/* Each card's button names its task: a list of buttons is not eleven "Move"s. */}
              <span className="visually-hidden"> {task.key}</span>
            </Button>
          </form>
        </div>
      ) : null}
    </li>
  );
}

/**
 * What the board swaps after a move (htmx's answer and the live event alike): the card leaves
 * wherever it was and lands before the card that now follows it (or at its column's end), the
 * columns' counts are refreshed, and the change is announced to screen readers.
 */
export function BoardChange({
  task,
  taskId,
  nextId,
  counts,
  context,
  announcement,
}: {
  task: CardTask | null;
  taskId: string;
  nextId: string | null;
  counts: Array<{ id: string; count: number }>;
  context: CardContext;
  announcement: string;
}) {
  const t = useT();
  return (
    <>
      <div hx-swap-oob={`delete:#task-card-${taskId}`} />
      {task ? (
        <>
          <ul
            hx-swap-oob={
              nextId
                ? `beforebegin:#task-card-${nextId}`
                : `beforeend:#column-cards-${task.statusId}`
            }
          >
            <TaskCard task={task} context={context} />
          </ul>
        </>
      ) : null}
      {counts.map((column) => (
        <span key={column.id} id={`column-count-${column.id}`} hx-swap-oob="true">
          {t('tasks:board.count', { count: column.count })}
        </span>
      ))}
      <p id="board-announcer" className="visually-hidden" role="status" hx-swap-oob="true">
        {announcement}
      </p>
    </>
  );
}

/** A task in a plain list ("My tasks"): its link, then what the card shows. */
export function TaskRow({
  task,
  slug,
  today,
  showProject,
}: {
  task: CardTask & { projectName?: string };
  slug: string;
  today: string;
  showProject?: boolean;
}) {
  return (
    <li className="task-row">
      <a href={`/w/${slug}/tasks/${task.key}`}>
        <span className="muted">{task.key}</span> {task.title}
      </a>
      {showProject && task.projectName ? (
        <span className="muted"> · {task.projectName}</span>
      ) : null}
      <TaskMeta task={task} today={today} />
    </li>
  );
}

/** The <option>s of a status, person or priority select: the same lists on every form. */
export function StatusOptions({ statuses }: { statuses: StatusOption[] }) {
  const t = useT();
  return statuses.map((status) => (
    <option key={status.id} value={status.id}>
      {statusName(t, status)}
    </option>
  ));
}

export function PeopleOptions({ people }: { people: PersonOption[] }) {
  const t = useT();
  return people.map((person) => (
    <option key={person.id} value={person.id}>
      {person.name ?? t('common:deletedUser')}
    </option>
  ));
}

export function PriorityOptions() {
  const t = useT();
  return priorityOptions(t).map((option) => (
    <option key={option.value} value={option.value}>
      {option.label}
    </option>
  ));
}

export function priorityOptions(t: T) {
  return taskPriorities.map((priority) => ({
    value: priority,
    label: t(`tasks:priority.${priority}`),
  }));
}
