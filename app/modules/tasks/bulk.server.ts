import type { Trx } from '~/platform/db/database.server';
import type { TaskPriority } from './schema';
import {
  changeTask,
  findTask,
  type TaskChange,
  type TaskRefusal,
  type Viewer,
} from './tasks.server';

export type BulkEdit = {
  taskIds: string[];
  statusId?: string;
  assigneeId?: string;
  priority?: TaskPriority;
  dueDate?: string;
};

export class BulkRefusal extends Error {
  constructor(readonly reason: TaskRefusal | 'task_unknown') {
    super(reason);
  }
}

/**
 * One change applied to many tasks of a project, each with its own history, audit event and
 * live event. All or nothing: a refusal throws, and the caller's transaction rolls back.
 */
export async function bulkEditTasks(
  trx: Trx,
  viewer: Viewer,
  slug: string,
  projectId: string,
  edit: BulkEdit,
): Promise<number> {
  const change: TaskChange = {};
  if (edit.statusId) change.statusId = edit.statusId;
  if (edit.assigneeId) change.assigneeId = edit.assigneeId === 'nobody' ? null : edit.assigneeId;
  if (edit.priority) change.priority = edit.priority;
  if (edit.dueDate) change.dueDate = edit.dueDate === 'none' ? null : edit.dueDate;
  const tasks = await trx
    .selectFrom('tasks')
    .innerJoin('projects', 'projects.id', 'tasks.projectId')
    .select(['projects.key', 'tasks.number'])
    .where('tasks.id', 'in', edit.taskIds)
    .where('tasks.projectId', '=', projectId)
    .where('tasks.deletedAt', 'is', null)
    .execute();
  if (tasks.length !== new Set(edit.taskIds).size) throw new BulkRefusal('task_unknown');
  for (const row of tasks) {
    const task = await findTask(trx, viewer, `${row.key}-${row.number}`);
    if (!task) throw new BulkRefusal('task_unknown');
    const refused = await changeTask(trx, viewer, slug, task, change);
    if (refused) throw new BulkRefusal(refused);
  }
  return tasks.length;
}
