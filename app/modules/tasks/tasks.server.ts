import { sql } from 'kysely';
import { recordAudit } from '~/modules/audit/record.server';
import { notify } from '~/modules/notifications/notify.server';
import { projectPolicy } from '~/modules/projects/policy';
import type { Project } from '~/modules/projects/projects.server';
import type { Member } from '~/modules/workspaces/queries.server';
import { withWorkspace, type Trx } from '~/platform/db/database.server';
import type { ProjectRole } from '~/platform/db/schema';
import { notFound } from '~/platform/http-errors.server';
import { notifyLive } from '~/platform/live/notify.server';
import { parseTaskKey, type TaskInput, type TaskPriority } from './schema';
import { initialStatus, listStatuses, type TaskStatus } from './statuses.server';

export type Viewer = Pick<Member, 'role' | 'ctx'>;

/** A due date as the day it names ("2026-12-01"), never a Date that a time zone could shift. */
export const dueDay = sql<string | null>`to_char(tasks.due_date, 'YYYY-MM-DD')`;

/** The task behind "ACME-42", with what a page needs about its project and my place in it. */
export async function findTask(trx: Trx, viewer: Viewer, key: string | undefined) {
  const parsed = parseTaskKey(key);
  if (!parsed) return undefined;
  const task = await trx
    .selectFrom('tasks')
    .innerJoin('projects', 'projects.id', 'tasks.projectId')
    .innerJoin('taskStatuses as status', 'status.id', 'tasks.statusId')
    .leftJoin('users as assignee', 'assignee.id', 'tasks.assigneeId')
    .leftJoin('users as creator', 'creator.id', 'tasks.createdBy')
    .select([
      'tasks.id',
      'tasks.number',
      'tasks.title',
      'tasks.description',
      'tasks.statusId',
      'tasks.assigneeId',
      'tasks.priority',
      'tasks.createdAt',
      'tasks.updatedAt',
      'tasks.completedAt',
      'tasks.deletedAt',
      'tasks.liveSeq',
      dueDay.as('dueDate'),
      'projects.id as projectId',
      'projects.key as projectKey',
      'projects.name as projectName',
      'projects.deletedAt as projectDeletedAt',
      'status.name as statusName',
      'status.preset as statusPreset',
      'status.category as statusCategory',
      'assignee.name as assigneeName',
      'creator.name as creatorName',
      sql<ProjectRole | null>`(select pm.role from project_members pm where pm.project_id = projects.id and pm.user_id = ${viewer.ctx.userId})`.as(
        'myRole',
      ),
    ])
    .where('projects.key', '=', parsed.projectKey)
    .where('tasks.number', '=', parsed.number)
    .executeTakeFirst();
  if (!task || task.projectDeletedAt || !projectPolicy.see(viewer.role, task.myRole))
    return undefined;
  return { ...task, key: `${task.projectKey}-${task.number}` };
}

export type Task = NonNullable<Awaited<ReturnType<typeof findTask>>>;

/** The task of a URL, or 404 for one that does not exist, is deleted for good, or is not mine to see. */
export async function requireTask(viewer: Viewer, key: string | undefined): Promise<Task> {
  const task = await withWorkspace(viewer.ctx, (trx) => findTask(trx, viewer, key));
  if (!task) throw notFound();
  return task;
}

export const taskPolicy = {
  /** Create, edit, move, assign, tick checklists: the project's members, managers and above. */
  change: (viewer: Viewer, task: { myRole: ProjectRole | null }) =>
    projectPolicy.contribute(viewer.role, task.myRole),
  /** Comment: everyone who sees the project, viewers and guests included. */
  comment: (viewer: Viewer, task: { myRole: ProjectRole | null }) =>
    projectPolicy.see(viewer.role, task.myRole),
};

export type TaskRefusal = 'assignee_not_member' | 'status_unknown' | 'label_unknown';

/** The people a task of this project can be assigned to: its members. */
export async function assignableMembers(trx: Trx, projectId: string) {
  return trx
    .selectFrom('projectMembers')
    .innerJoin('users', 'users.id', 'projectMembers.userId')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.userId', '=', 'projectMembers.userId')
        .onRef('memberships.workspaceId', '=', 'projectMembers.workspaceId'),
    )
    .select(['users.id', 'users.name'])
    .where('projectMembers.projectId', '=', projectId)
    .where('memberships.status', '=', 'active')
    .orderBy('users.name')
    .execute();
}

async function checkReferences(
  trx: Trx,
  projectId: string,
  input: { assigneeId?: string | null; statusId?: string; labelIds?: string[] },
): Promise<TaskRefusal | null> {
  if (input.assigneeId) {
    const members = await assignableMembers(trx, projectId);
    if (!members.some((member) => member.id === input.assigneeId)) return 'assignee_not_member';
  }
  if (input.statusId) {
    const status = await trx
      .selectFrom('taskStatuses')
      .select('id')
      .where('id', '=', input.statusId)
      .where('projectId', '=', projectId)
      .executeTakeFirst();
    if (!status) return 'status_unknown';
  }
  if (input.labelIds?.length) {
    const found = await trx
      .selectFrom('labels')
      .select('id')
      .where('id', 'in', input.labelIds)
      .execute();
    if (found.length !== new Set(input.labelIds).size) return 'label_unknown';
  }
  return null;
}

/** Tells every open board and task page of the change (ids only; each viewer renders their own). */
export async function announceTask(
  trx: Trx,
  task: { id: string; projectId: string },
  kind = 'task.changed',
) {
  // The event's id is the latest sequence among the task and its comments: what a
  // reconnecting page reports back as Last-Event-ID.
  const row = await trx
    .selectFrom('tasks')
    .select([
      'workspaceId',
      sql<string>`greatest(tasks.live_seq, (select max(c.live_seq) from task_comments c where c.task_id = tasks.id))::text`.as(
        'latest',
      ),
    ])
    .where('id', '=', task.id)
    .executeTakeFirstOrThrow();
  const event = { w: row.workspaceId, k: kind, id: task.id, s: row.latest };
  await notifyLive(trx, { ...event, t: `project:${task.projectId}` });
  await notifyLive(trx, { ...event, t: `task:${task.id}` });
}

async function recordActivity(
  trx: Trx,
  viewer: Viewer,
  taskId: string,
  entries: Array<{ field: string; from?: string | null; to?: string | null }>,
) {
  if (entries.length === 0) return;
  await trx
    .insertInto('taskActivity')
    .values(
      entries.map((entry) => ({
        workspaceId: viewer.ctx.workspaceId,
        taskId,
        actorId: viewer.ctx.userId,
        field: entry.field,
        fromValue: entry.from ?? null,
        toValue: entry.to ?? null,
      })),
    )
    .execute();
}

async function setLabels(trx: Trx, viewer: Viewer, taskId: string, labelIds: string[]) {
  await trx.deleteFrom('taskLabels').where('taskId', '=', taskId).execute();
  if (labelIds.length)
    await trx
      .insertInto('taskLabels')
      .values(
        [...new Set(labelIds)].map((labelId) => ({
          workspaceId: viewer.ctx.workspaceId,
          taskId,
          labelId,
        })),
      )
      .execute();
}

const taskPath = (slug: string, key: string) => `/w/${slug}/tasks/${key}`;

async function notifyAssignee(
  trx: Trx,
  viewer: Viewer,
  slug: string,
  task: { key: string; title: string },
  assigneeId: string | null,
) {
  if (!assigneeId) return;
  await notify(trx, {
    workspaceId: viewer.ctx.workspaceId,
    userId: assigneeId,
    actorId: viewer.ctx.userId,
    kind: 'task.assigned',
    title: `${task.key}: ${task.title}`,
    path: taskPath(slug, task.key),
  });
}

export async function createTask(
  trx: Trx,
  viewer: Viewer,
  slug: string,
  project: Pick<Project, 'id' | 'key'>,
  input: TaskInput,
): Promise<{ ok: true; key: string } | { ok: false; reason: TaskRefusal }> {
  const refused = await checkReferences(trx, project.id, input);
  if (refused) return { ok: false, reason: refused };
  const statuses = await listStatuses(trx, project.id);
  const status = statuses.find((s) => s.id === input.statusId) ?? initialStatus(statuses);
  // The row lock on the project hands out numbers one at a time: ACME-41, then ACME-42.
  const { taskSeq } = await trx
    .updateTable('projects')
    .set({ taskSeq: sql<number>`task_seq + 1` })
    .where('id', '=', project.id)
    .returning('taskSeq')
    .executeTakeFirstOrThrow();
  const task = await trx
    .insertInto('tasks')
    .values({
      workspaceId: viewer.ctx.workspaceId,
      projectId: project.id,
      number: taskSeq,
      title: input.title,
      description: input.description,
      statusId: status.id,
      assigneeId: input.assigneeId ?? null,
      dueDate: input.dueDate ?? null,
      priority: input.priority,
      createdBy: viewer.ctx.userId,
      completedAt: status.category === 'done' ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setLabels(trx, viewer, task.id, input.labelIds);
  await recordActivity(trx, viewer, task.id, [{ field: 'created' }]);
  const key = `${project.key}-${taskSeq}`;
  await recordAudit(trx, {
    action: 'task.created',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'task', id: task.id },
    changes: { key, title: input.title },
  });
  if (input.assigneeId !== viewer.ctx.userId)
    await notifyAssignee(trx, viewer, slug, { key, title: input.title }, input.assigneeId ?? null);
  await announceTask(trx, { id: task.id, projectId: project.id }, 'task.created');
  return { ok: true, key };
}

/** What a change may touch; fields left out stay as they are. */
export type TaskChange = Partial<{
  title: string;
  description: string;
  statusId: string;
  assigneeId: string | null;
  dueDate: string | null;
  priority: TaskPriority;
  labelIds: string[];
}>;

/** Display values for the history: names as they read now, kept as text. */
async function describe(trx: Trx, field: string, value: string | null | undefined) {
  if (value === null || value === undefined) return null;
  if (field === 'assignee')
    return (
      (await trx.selectFrom('users').select('name').where('id', '=', value).executeTakeFirst())
        ?.name ?? null
    );
  if (field === 'status') {
    const status = await trx
      .selectFrom('taskStatuses')
      .select(['name', 'preset'])
      .where('id', '=', value)
      .executeTakeFirst();
    // A preset's name is stored as its key ("preset:todo") and read in each reader's language.
    return status ? (status.name ?? `preset:${status.preset}`) : null;
  }
  return value;
}

/**
 * Applies a change to one task: checks the references, writes the row, the history (status,
 * assignee, due date, priority, title), the audit event, a notification for a new assignee,
 * and the live event. Nothing is written when nothing changed.
 */
export async function changeTask(
  trx: Trx,
  viewer: Viewer,
  slug: string,
  task: Task,
  change: TaskChange,
): Promise<TaskRefusal | null> {
  const refused = await checkReferences(trx, task.projectId, change);
  if (refused) return refused;
  const before = {
    title: task.title,
    description: task.description,
    statusId: task.statusId,
    assigneeId: task.assigneeId,
    dueDate: task.dueDate,
    priority: task.priority,
  };
  const changed = (Object.keys(change) as Array<keyof TaskChange>).filter(
    (field) => field !== 'labelIds' && change[field] !== before[field as keyof typeof before],
  );
  let labelsChanged = false;
  if (change.labelIds) {
    const current = await trx
      .selectFrom('taskLabels')
      .select('labelId')
      .where('taskId', '=', task.id)
      .execute();
    const now = new Set(current.map((row) => row.labelId));
    const next = new Set(change.labelIds);
    labelsChanged = now.size !== next.size || [...next].some((id) => !now.has(id));
  }
  if (changed.length === 0 && !labelsChanged) return null;

  const set: Record<string, unknown> = Object.fromEntries(
    changed.map((field) => [field, change[field]]),
  );
  if (change.statusId && changed.includes('statusId')) {
    const status = await trx
      .selectFrom('taskStatuses')
      .select('category')
      .where('id', '=', change.statusId)
      .executeTakeFirstOrThrow();
    set.completedAt = status.category === 'done' ? (task.completedAt ?? new Date()) : null;
  }
  if (changed.length > 0 || labelsChanged)
    await trx
      .updateTable('tasks')
      // A label change alone still moves updated_at and live_seq: boards must hear of it.
      .set(changed.length > 0 ? set : { updatedAt: new Date() })
      .where('id', '=', task.id)
      .execute();
  if (change.labelIds && labelsChanged) await setLabels(trx, viewer, task.id, change.labelIds);

  const history: Record<string, string> = {
    title: 'title',
    statusId: 'status',
    assigneeId: 'assignee',
    dueDate: 'due_date',
    priority: 'priority',
    description: 'description',
  };
  await recordActivity(trx, viewer, task.id, [
    ...(await Promise.all(
      changed.map(async (field) => {
        const name = history[field]!;
        // The description's history says that it changed, not the whole text twice.
        if (name === 'description') return { field: name };
        return {
          field: name,
          from: await describe(trx, name, before[field as keyof typeof before]),
          to: await describe(trx, name, change[field] as string | null),
        };
      }),
    )),
    ...(labelsChanged ? [{ field: 'labels' }] : []),
  ]);
  await recordAudit(trx, {
    action: 'task.updated',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'task', id: task.id },
    changes: {
      key: task.key,
      ...Object.fromEntries(
        changed.map((field) =>
          field === 'description'
            ? [field, 'changed']
            : [field, { from: before[field as keyof typeof before], to: change[field] }],
        ),
      ),
      ...(labelsChanged ? { labelIds: change.labelIds } : {}),
    },
  });
  if (changed.includes('assigneeId') && change.assigneeId !== viewer.ctx.userId)
    await notifyAssignee(
      trx,
      viewer,
      slug,
      { key: task.key, title: change.title ?? task.title },
      change.assigneeId ?? null,
    );
  await announceTask(trx, task);
  return null;
}

export async function trashTask(trx: Trx, viewer: Viewer, task: Task): Promise<void> {
  const updated = await trx
    .updateTable('tasks')
    .set({ deletedAt: new Date(), deletedBy: viewer.ctx.userId })
    .where('id', '=', task.id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  await recordActivity(trx, viewer, task.id, [{ field: 'deleted' }]);
  await recordAudit(trx, {
    action: 'task.deleted',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'task', id: task.id },
    changes: { key: task.key, title: task.title },
  });
  await announceTask(trx, task, 'task.deleted');
}

export async function restoreTask(trx: Trx, viewer: Viewer, task: Task): Promise<void> {
  const updated = await trx
    .updateTable('tasks')
    .set({ deletedAt: null, deletedBy: null })
    .where('id', '=', task.id)
    .where('deletedAt', 'is not', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return;
  await recordActivity(trx, viewer, task.id, [{ field: 'restored' }]);
  await recordAudit(trx, {
    action: 'task.restored',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'task', id: task.id },
    changes: { key: task.key, title: task.title },
  });
  await announceTask(trx, task);
}

export type { TaskStatus };
