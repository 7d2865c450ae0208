import { sql, type SqlBool } from 'kysely';
import { roleAtLeast } from '~/modules/workspaces/roles';
import type { Trx } from '~/platform/db/database.server';
import type { LabelColour, StatusCategory, TaskPriority } from '~/platform/db/schema';
import type { CardTask } from './components';
import type { TaskFilters } from './schema';
import { dueDay, type Viewer } from './tasks.server';

export const TASKS_PER_PAGE = 50;

export type TaskLabel = { id: string; name: string; colour: LabelColour };

/** The reader's today, as a day in their own time zone. */
const today = (timeZone: string) => sql<string>`(now() at time zone ${timeZone})::date`;

/** Only words go into the query: "cata pho" becomes 'cata':* & 'pho':*, prefixes of words. */
export function prefixQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length
    ? words
        .slice(0, 8)
        .map((word) => `'${word.toLowerCase()}':*`)
        .join(' & ')
    : null;
}

/** What a row in a list, a card on a board or a line in "My tasks" shows. */
function taskSummaries(trx: Trx) {
  return trx
    .selectFrom('tasks')
    .innerJoin('projects', 'projects.id', 'tasks.projectId')
    .innerJoin('taskStatuses as status', 'status.id', 'tasks.statusId')
    .leftJoin('users as assignee', 'assignee.id', 'tasks.assigneeId')
    .select([
      'tasks.id',
      'tasks.number',
      'tasks.title',
      'tasks.priority',
      'tasks.statusId',
      'tasks.assigneeId',
      'tasks.projectId',
      'tasks.completedAt',
      'tasks.createdAt',
      'tasks.updatedAt',
      dueDay.as('dueDate'),
      'projects.key as projectKey',
      'projects.name as projectName',
      'status.name as statusName',
      'status.preset as statusPreset',
      'status.category as statusCategory',
      'assignee.name as assigneeName',
      sql<
        TaskLabel[]
      >`(select coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'colour', l.colour) order by l.name), '[]') from task_labels tl join labels l on l.id = tl.label_id where tl.task_id = tasks.id)`.as(
        'labels',
      ),
      sql<number>`(select count(*)::int from checklist_items c where c.task_id = tasks.id)`.as(
        'checklistTotal',
      ),
      sql<number>`(select count(*)::int from checklist_items c where c.task_id = tasks.id and c.done)`.as(
        'checklistDone',
      ),
      sql<number>`(select count(*)::int from task_comments c where c.task_id = tasks.id)`.as(
        'commentCount',
      ),
    ])
    .where('tasks.deletedAt', 'is', null)
    .where('projects.deletedAt', 'is', null);
}

export type TaskSummary = Awaited<
  ReturnType<ReturnType<typeof taskSummaries>['execute']>
>[number] & {
  key?: string;
};

const withKey = <T extends { projectKey: string; number: number }>(row: T) => ({
  ...row,
  key: `${row.projectKey}-${row.number}`,
});

/** A guest sees tasks only in the projects they were added to. */
function visibleToViewer(viewer: Viewer) {
  return roleAtLeast(viewer.role, 'member')
    ? sql<SqlBool>`true`
    : sql<SqlBool>`exists (select 1 from project_members pm where pm.project_id = tasks.project_id and pm.user_id = ${viewer.ctx.userId})`;
}

function applyFilters(
  query: ReturnType<typeof taskSummaries>,
  viewer: Viewer,
  filters: Partial<TaskFilters>,
  timeZone: string,
) {
  if (filters.q) {
    const key = /^(?:[A-Z][A-Z0-9]{1,9}-)?(\d{1,9})$/i.exec(filters.q.trim());
    const words = prefixQuery(filters.q);
    query = query.where((eb) =>
      eb.or([
        // A sub-select, so the query is parsed once per execution: with the app's generic
        // plans, to_tsquery of a parameter was evaluated again for every row (twice as slow).
        ...(words ? [sql<SqlBool>`tasks.search @@ (select to_tsquery('simple', ${words}))`] : []),
        ...(key ? [eb('tasks.number', '=', Number(key[1]))] : []),
        ...(!words && !key ? [sql<SqlBool>`false`] : []),
      ]),
    );
  }
  if (filters.status?.length) query = query.where('tasks.statusId', 'in', filters.status);
  if (filters.assignee?.length) {
    const people = filters.assignee.map((value) => (value === 'me' ? viewer.ctx.userId : value));
    const ids = people.filter((value): value is string => value !== null && value !== 'nobody');
    const nobody = people.includes('nobody');
    query = query.where((eb) =>
      eb.or([
        ...(ids.length ? [eb('tasks.assigneeId', 'in', ids)] : []),
        ...(nobody ? [eb('tasks.assigneeId', 'is', null)] : []),
      ]),
    );
  }
  if (filters.priority?.length) query = query.where('tasks.priority', 'in', filters.priority);
  if (filters.label?.length)
    query = query.where(
      sql<SqlBool>`exists (select 1 from task_labels tl where tl.task_id = tasks.id and tl.label_id in (${sql.join(filters.label)}))`,
    );
  if (filters.due === 'overdue')
    query = query
      .where('tasks.completedAt', 'is', null)
      .where(sql<SqlBool>`tasks.due_date < ${today(timeZone)}`);
  else if (filters.due === 'week')
    query = query.where(
      sql<SqlBool>`tasks.due_date between ${today(timeZone)} and ${today(timeZone)} + 6`,
    );
  else if (filters.due === 'none') query = query.where('tasks.dueDate', 'is', null);
  return query;
}

/** The board's order, and the list's default: most urgent first, then the soonest due. */
const boardOrder = sql`tasks.priority desc, tasks.due_date asc nulls last, tasks.number desc`;

function applySort(query: ReturnType<typeof taskSummaries>, sort: TaskFilters['sort']) {
  switch (sort) {
    case 'due':
      return query
        .orderBy(sql`tasks.due_date asc nulls last`)
        .orderBy('tasks.priority', 'desc')
        .orderBy('tasks.number', 'desc');
    case 'created':
      return query.orderBy('tasks.createdAt', 'desc').orderBy('tasks.number', 'desc');
    case 'updated':
      return query.orderBy('tasks.updatedAt', 'desc').orderBy('tasks.number', 'desc');
    case 'key':
      return query.orderBy('projects.key').orderBy('tasks.number');
    case 'title':
      return query.orderBy('tasks.title').orderBy('tasks.number');
    default:
      return query.orderBy(boardOrder);
  }
}

function filteredProjectTasks(
  trx: Trx,
  viewer: Viewer,
  projectId: string,
  filters: Partial<TaskFilters>,
  timeZone: string,
) {
  return applyFilters(
    taskSummaries(trx).where('tasks.projectId', '=', projectId),
    viewer,
    filters,
    timeZone,
  );
}

/** A page of a project's tasks, filtered and sorted as the URL says, and how many there are. */
export async function listProjectTasks(
  trx: Trx,
  viewer: Viewer,
  projectId: string,
  filters: TaskFilters,
  timeZone: string,
) {
  const filtered = filteredProjectTasks(trx, viewer, projectId, filters, timeZone);
  // The total comes with the page: a window over the same scan, not a second query over it.
  const rows = await applySort(filtered, filters.sort)
    .select(sql<number>`(count(*) over ())::int`.as('total'))
    .limit(TASKS_PER_PAGE)
    .offset((filters.page - 1) * TASKS_PER_PAGE)
    .execute();
  const total =
    rows[0]?.total ??
    // A page past the end has no row to carry it.
    (
      await filtered
        .clearSelect()
        .select(sql<number>`count(*)::int`.as('total'))
        .executeTakeFirstOrThrow()
    ).total;
  return { tasks: rows.map(({ total: _total, ...row }) => withKey(row)), total };
}

/** All of a project's tasks that the filters keep (up to 10,000), sorted: for the CSV. */
export async function allProjectTasks(
  trx: Trx,
  viewer: Viewer,
  projectId: string,
  filters: TaskFilters,
  timeZone: string,
) {
  const filtered = filteredProjectTasks(trx, viewer, projectId, filters, timeZone);
  return (await applySort(filtered, filters.sort).limit(10_000).execute()).map(withKey);
}

/**
 * A done column shows its most recently finished cards, so a board stays the same size however
 * long a project runs; the rest are a click away in the list.
 */
export const RECENT_DONE_CARDS = 25;

/** Tasks of the project's done columns beyond the most recent RECENT_DONE_CARDS of each. */
const olderDone = (projectId: string) => sql<SqlBool>`tasks.id not in (
  select ranked.id from (
    select t.id, row_number() over (
      partition by t.status_id order by t.completed_at desc nulls last, t.number desc) as place
    from tasks t join task_statuses s on s.id = t.status_id
    where t.project_id = ${projectId} and s.category = 'done' and t.deleted_at is null
  ) ranked where ranked.place > ${RECENT_DONE_CARDS})`;

/**
 * The cards of a project's board, in board order; the caller groups them by status. Only what
 * a card shows: the page's data is serialised with it, 200 times over.
 */
export async function boardTasks(trx: Trx, projectId: string): Promise<CardTask[]> {
  const rows = await taskSummaries(trx)
    .where('tasks.projectId', '=', projectId)
    .where(olderDone(projectId))
    .orderBy(boardOrder)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    key: `${row.projectKey}-${row.number}`,
    title: row.title,
    priority: row.priority,
    statusId: row.statusId,
    assigneeId: row.assigneeId,
    assigneeName: row.assigneeName,
    dueDate: row.dueDate,
    completedAt: row.completedAt,
    labels: row.labels,
    checklistTotal: row.checklistTotal,
    checklistDone: row.checklistDone,
    commentCount: row.commentCount,
  }));
}

/**
 * One task's card, for a live event or an htmx swap: whether the board shows it, and the number
 * of the card that follows it in its column.
 */
export async function boardCard(trx: Trx, taskId: string) {
  const task = await taskSummaries(trx).where('tasks.id', '=', taskId).executeTakeFirst();
  if (!task) return undefined;
  const column = await trx
    .selectFrom('tasks')
    .select(['tasks.id', 'tasks.number'])
    .where('tasks.statusId', '=', task.statusId)
    .where('tasks.deletedAt', 'is', null)
    .where(olderDone(task.projectId))
    .orderBy(boardOrder)
    .execute();
  const index = column.findIndex((other) => other.id === task.id);
  return {
    task: withKey(task),
    shown: index !== -1,
    nextNumber: index === -1 ? null : (column[index + 1]?.number ?? null),
  };
}

export async function columnCounts(trx: Trx, projectId: string) {
  return trx
    .selectFrom('taskStatuses')
    .select([
      'taskStatuses.id',
      sql<number>`(select count(*)::int from tasks where tasks.status_id = task_statuses.id and tasks.deleted_at is null)`.as(
        'count',
      ),
    ])
    .where('projectId', '=', projectId)
    .execute();
}

export type DueGroup = 'overdue' | 'today' | 'week' | 'later' | 'none';

/** My open tasks across the workspace's projects, grouped by when they are due (my time zone). */
export async function myTasks(trx: Trx, viewer: Viewer, timeZone: string) {
  const rows = await taskSummaries(trx)
    .select([
      sql<DueGroup>`case
        when tasks.due_date is null then 'none'
        when tasks.due_date < ${today(timeZone)} then 'overdue'
        when tasks.due_date = ${today(timeZone)} then 'today'
        when tasks.due_date <= ${today(timeZone)} + 6 then 'week'
        else 'later' end`.as('dueGroup'),
    ])
    .where('tasks.assigneeId', '=', viewer.ctx.userId)
    .where('tasks.completedAt', 'is', null)
    .where(visibleToViewer(viewer))
    .orderBy(sql`tasks.due_date asc nulls last`)
    .orderBy('tasks.priority', 'desc')
    .limit(500)
    .execute();
  const groups: Record<DueGroup, ReturnType<typeof withKey<(typeof rows)[number]>>[]> = {
    overdue: [],
    today: [],
    week: [],
    later: [],
    none: [],
  };
  for (const row of rows) groups[row.dueGroup].push(withKey(row));
  return groups;
}

/** The project overview's progress: tasks per status, overdue, and what is due next. */
export async function projectProgress(trx: Trx, projectId: string, timeZone: string) {
  const byStatus = await trx
    .selectFrom('taskStatuses')
    .select([
      'taskStatuses.id',
      'taskStatuses.name',
      'taskStatuses.preset',
      'taskStatuses.category',
      sql<number>`(select count(*)::int from tasks where tasks.status_id = task_statuses.id and tasks.deleted_at is null)`.as(
        'count',
      ),
    ])
    .where('projectId', '=', projectId)
    .orderBy('position')
    .execute();
  const { overdue } = await trx
    .selectFrom('tasks')
    .select(sql<number>`count(*)::int`.as('overdue'))
    .where('projectId', '=', projectId)
    .where('deletedAt', 'is', null)
    .where('completedAt', 'is', null)
    .where(sql<SqlBool>`due_date < ${today(timeZone)}`)
    .executeTakeFirstOrThrow();
  const upcoming = (
    await taskSummaries(trx)
      .where('tasks.projectId', '=', projectId)
      .where('tasks.completedAt', 'is', null)
      .where(sql<SqlBool>`tasks.due_date >= ${today(timeZone)}`)
      .orderBy('tasks.dueDate')
      .limit(5)
      .execute()
  ).map(withKey);
  const total = byStatus.reduce((sum, status) => sum + status.count, 0);
  const done = byStatus
    .filter((status) => status.category === ('done' satisfies StatusCategory))
    .reduce((sum, status) => sum + status.count, 0);
  return { byStatus, overdue, upcoming, total, done };
}

/** The latest history of a project's tasks, for its overview. */
export async function recentProjectActivity(trx: Trx, projectId: string, limit = 10) {
  return trx
    .selectFrom('taskActivity')
    .innerJoin('tasks', 'tasks.id', 'taskActivity.taskId')
    .innerJoin('projects', 'projects.id', 'tasks.projectId')
    .leftJoin('users as actor', 'actor.id', 'taskActivity.actorId')
    .select([
      'taskActivity.id',
      'taskActivity.field',
      'taskActivity.fromValue',
      'taskActivity.toValue',
      'taskActivity.createdAt',
      'actor.name as actorName',
      'tasks.title as taskTitle',
      sql<string>`projects.key || '-' || tasks.number`.as('taskKey'),
    ])
    .where('tasks.projectId', '=', projectId)
    .where('tasks.deletedAt', 'is', null)
    .orderBy('taskActivity.id', 'desc')
    .limit(limit)
    .execute();
}

/** Everything the task page shows besides the task itself. */
export async function taskDetails(trx: Trx, taskId: string) {
  const [labels, checklist, comments, activity] = await Promise.all([
    trx
      .selectFrom('taskLabels')
      .innerJoin('labels', 'labels.id', 'taskLabels.labelId')
      .select(['labels.id', 'labels.name', 'labels.colour'])
      .where('taskLabels.taskId', '=', taskId)
      .orderBy('labels.name')
      .execute(),
    trx
      .selectFrom('checklistItems')
      .select(['id', 'text', 'done'])
      .where('taskId', '=', taskId)
      .orderBy('position')
      .execute(),
    trx
      .selectFrom('taskComments')
      .leftJoin('users as author', 'author.id', 'taskComments.authorId')
      .select([
        'taskComments.id',
        'taskComments.body',
        'taskComments.createdAt',
        'taskComments.authorId',
        'author.name as authorName',
      ])
      .where('taskComments.taskId', '=', taskId)
      .orderBy('taskComments.createdAt')
      .execute(),
    trx
      .selectFrom('taskActivity')
      .leftJoin('users as actor', 'actor.id', 'taskActivity.actorId')
      .select([
        'taskActivity.id',
        'taskActivity.field',
        'taskActivity.fromValue',
        'taskActivity.toValue',
        'taskActivity.createdAt',
        'actor.name as actorName',
      ])
      .where('taskActivity.taskId', '=', taskId)
      .orderBy('taskActivity.id')
      .execute(),
  ]);
  return { labels, checklist, comments, activity };
}

export const priorityOrder: readonly TaskPriority[] = ['urgent', 'high', 'medium', 'low', 'none'];
