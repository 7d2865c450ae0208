import { useFormat, useT } from '~/platform/document-context';
import type { LabelColour, StatusCategory } from '~/platform/db/schema';
import type { T } from '~/platform/i18n/i18n';
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
  number: number;
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

/** A card's element id: the task's number, unique on its project's board and short. */
export const cardId = (number: number) => `card-${number}`;

/**
 * A card on the board. Its two forms post to the card's route, plainly (the board comes back)
 * or with htmx (only the swaps of BoardChange come back; public/app.js keeps focus on the card).
 * 200 cards make a board, so each carries only what it needs: the select is named by
 * aria-label, the button is styled by `.card-forms button`, and the field says which form it is.
 */
export function TaskCard({ task, context }: { task: CardTask; context: CardContext }) {
  const t = useT();
  const page = `/w/${context.slug}/tasks/${task.key}`;
  const action = `${page}/card`;
  return (
    <li id={cardId(task.number)} className="card">
      <h3>
        <a href={page}>
          <span className="muted">{task.key}</span>
          {` ${task.title}`}
        </a>
      </h3>
      <TaskMeta task={task} today={context.today} />
      {context.canChange ? (
        <div className="card-forms" hx-swap="none">
          <form method="post" action={action} hx-post={action}>
            <select
              name="statusId"
              aria-label={t('tasks:board.moveLabel', { key: task.key })}
              defaultValue={task.statusId}
            >
              <StatusOptions statuses={context.statuses} />
            </select>
            <button>
              {t('tasks:board.move')}
              {/* Each card's button names its task: a list of buttons is not eleven "Move"s. */}
              <span className="visually-hidden">{` ${task.key}`}</span>
            </button>
          </form>
          <form method="post" action={action} hx-post={action}>
            <select
              name="assigneeId"
              aria-label={t('tasks:board.assignLabel', { key: task.key })}
              defaultValue={task.assigneeId ?? ''}
            >
              <option value="">{t('tasks:nobody')}</option>
              <PeopleOptions people={context.people} />
            </select>
            <button>
              {t('tasks:board.assign')}
              <span className="visually-hidden">{` ${task.key}`}</span>
            </button>
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
  taskNumber,
  nextNumber,
  counts,
  context,
  announcement,
}: {
  task: CardTask | null;
  taskNumber: number;
  nextNumber: number | null;
  counts: Array<{ id: string; count: number }>;
  context: CardContext;
  announcement: string;
}) {
  const t = useT();
  return (
    <>
      <div hx-swap-oob={`delete:#${cardId(taskNumber)}`} />
      {task ? (
        <ul
          hx-swap-oob={
            nextNumber !== null
              ? `beforebegin:#${cardId(nextNumber)}`
              : `beforeend:#column-cards-${task.statusId}`
          }
        >
          <TaskCard task={task} context={context} />
        </ul>
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

/**
 * The board's visible message, swapped in by the answer to a card's form: why a move or an
 * assignment was refused, or nothing once one has worked. The board renders it empty.
 */
export function BoardMessage({ error }: { error?: string }) {
  return error ? (
    <div id="board-message" className="flash flash--error" role="alert" hx-swap-oob="true">
      {error}
    </div>
  ) : (
    <div id="board-message" hx-swap-oob="true" />
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
