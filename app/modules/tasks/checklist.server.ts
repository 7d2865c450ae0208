import { sql } from 'kysely';
import { recordAudit } from '~/modules/audit/record.server';
import type { Trx } from '~/platform/db/database.server';
import { announceTask, type Task, type Viewer } from './tasks.server';

/** A task's checklist: subtasks that are ticked off, not tasks of their own. */
async function touched(trx: Trx, viewer: Viewer, task: Task, changes: Record<string, unknown>) {
  await recordAudit(trx, {
    action: 'task.checklist_changed',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'task', id: task.id },
    changes: { key: task.key, ...changes },
  });
  // The board's card shows "2/5": it has to hear of the change.
  await trx.updateTable('tasks').set({ updatedAt: new Date() }).where('id', '=', task.id).execute();
  await announceTask(trx, task);
}

export async function addChecklistItem(trx: Trx, viewer: Viewer, task: Task, text: string) {
  await trx
    .insertInto('checklistItems')
    .values({
      workspaceId: viewer.ctx.workspaceId,
      taskId: task.id,
      text,
      position: sql<number>`(select coalesce(max(position), -1) + 1 from checklist_items where task_id = ${task.id})`,
    })
    .execute();
  await touched(trx, viewer, task, { added: text });
}

/** Ticks or unticks an item; false when the item is not this task's. */
export async function setChecklistItem(
  trx: Trx,
  viewer: Viewer,
  task: Task,
  itemId: string,
  done: boolean,
): Promise<boolean> {
  const updated = await trx
    .updateTable('checklistItems')
    .set({ done })
    .where('id', '=', itemId)
    .where('taskId', '=', task.id)
    .returning('text')
    .executeTakeFirst();
  if (!updated) return false;
  await touched(trx, viewer, task, { item: updated.text, done });
  return true;
}

export async function removeChecklistItem(
  trx: Trx,
  viewer: Viewer,
  task: Task,
  itemId: string,
): Promise<boolean> {
  const removed = await trx
    .deleteFrom('checklistItems')
    .where('id', '=', itemId)
    .where('taskId', '=', task.id)
    .returning('text')
    .executeTakeFirst();
  if (!removed) return false;
  await touched(trx, viewer, task, { removed: removed.text });
  return true;
}
