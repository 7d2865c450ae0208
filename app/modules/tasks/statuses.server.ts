import { sql } from 'kysely';
import { recordAudit } from '~/modules/audit/record.server';
import type { Member } from '~/modules/workspaces/queries.server';
import type { Trx } from '~/platform/db/database.server';
import type { StatusCategory } from '~/platform/db/schema';
import type { T } from '~/platform/i18n/i18n';

type Viewer = Pick<Member, 'role' | 'ctx'>;

export type TaskStatus = {
  id: string;
  name: string | null;
  preset: string | null;
  category: StatusCategory;
  position: number;
};

/** A status as its reader calls it: a preset reads in their language until someone renames it. */
export function statusLabel(t: T, status: Pick<TaskStatus, 'name' | 'preset'>): string {
  return status.name ?? (t(`tasks:presets.${status.preset}` as never) as string);
}

const defaults: Array<{ preset: string; category: StatusCategory }> = [
  { preset: 'todo', category: 'todo' },
  { preset: 'in_progress', category: 'in_progress' },
  { preset: 'in_review', category: 'in_progress' },
  { preset: 'done', category: 'done' },
];

/** Every new project starts with To do, In progress, In review and Done. */
export async function createDefaultStatuses(trx: Trx, workspaceId: string, projectId: string) {
  await trx
    .insertInto('taskStatuses')
    .values(defaults.map((status, position) => ({ workspaceId, projectId, ...status, position })))
    .execute();
}

export async function listStatuses(trx: Trx, projectId: string): Promise<TaskStatus[]> {
  return trx
    .selectFrom('taskStatuses')
    .select(['id', 'name', 'preset', 'category', 'position'])
    .where('projectId', '=', projectId)
    .orderBy('position')
    .execute();
}

/** New tasks land in the project's first status of the "to do" category. */
export function initialStatus(statuses: TaskStatus[]): TaskStatus {
  return statuses.find((status) => status.category === 'todo') ?? statuses[0]!;
}

function audit(trx: Trx, viewer: Viewer, projectId: string, changes: Record<string, unknown>) {
  return recordAudit(trx, {
    action: 'project.statuses_changed',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'project', id: projectId },
    changes,
  });
}

export async function addStatus(
  trx: Trx,
  viewer: Viewer,
  projectId: string,
  input: { name: string; category: StatusCategory },
) {
  await trx
    .insertInto('taskStatuses')
    .values({
      workspaceId: viewer.ctx.workspaceId,
      projectId,
      name: input.name,
      category: input.category,
      position: sql<number>`(select coalesce(max(position), -1) + 1 from task_statuses where project_id = ${projectId})`,
    })
    .execute();
  await audit(trx, viewer, projectId, { added: input });
}

export async function updateStatus(
  trx: Trx,
  viewer: Viewer,
  projectId: string,
  statusId: string,
  input: { name: string; category: StatusCategory },
): Promise<boolean> {
  const updated = await trx
    .updateTable('taskStatuses')
    .set({ name: input.name, category: input.category })
    .where('id', '=', statusId)
    .where('projectId', '=', projectId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  // A status moved into or out of "done" completes or reopens its tasks.
  await trx
    .updateTable('tasks')
    .set({
      completedAt:
        input.category === 'done' ? sql<Date>`coalesce(completed_at, now())` : sql<null>`null`,
    })
    .where('statusId', '=', statusId)
    .execute();
  await audit(trx, viewer, projectId, { updated: { id: statusId, ...input } });
  return true;
}

/** Moves a status one place earlier or later on the board. */
export async function moveStatus(
  trx: Trx,
  viewer: Viewer,
  projectId: string,
  statusId: string,
  direction: 'up' | 'down',
): Promise<void> {
  const statuses = await listStatuses(trx, projectId);
  const index = statuses.findIndex((status) => status.id === statusId);
  const other = statuses[direction === 'up' ? index - 1 : index + 1];
  if (index < 0 || !other) return;
  const current = statuses[index]!;
  await trx
    .updateTable('taskStatuses')
    .set({ position: other.position })
    .where('id', '=', current.id)
    .execute();
  await trx
    .updateTable('taskStatuses')
    .set({ position: current.position })
    .where('id', '=', other.id)
    .execute();
  await audit(trx, viewer, projectId, { moved: { id: statusId, direction } });
}

export type StatusRemoval = 'removed' | 'last_of_category' | 'unknown';

/**
 * A status goes only when another takes its tasks (moved to the one named) and the project
 * keeps at least one status of each category the board needs: one "to do" and one "done".
 */
export async function removeStatus(
  trx: Trx,
  viewer: Viewer,
  projectId: string,
  statusId: string,
  moveTo: string,
): Promise<StatusRemoval> {
  const statuses = await listStatuses(trx, projectId);
  const removed = statuses.find((status) => status.id === statusId);
  const target = statuses.find((status) => status.id === moveTo && status.id !== statusId);
  if (!removed || !target) return 'unknown';
  if (
    removed.category !== 'in_progress' &&
    statuses.filter((status) => status.category === removed.category).length === 1
  )
    return 'last_of_category';
  await trx
    .updateTable('tasks')
    .set({
      statusId: target.id,
      completedAt:
        target.category === 'done' ? sql<Date>`coalesce(completed_at, now())` : sql<null>`null`,
    })
    .where('statusId', '=', statusId)
    .execute();
  await trx.deleteFrom('taskStatuses').where('id', '=', statusId).execute();
  await audit(trx, viewer, projectId, { removed: { id: statusId, movedTo: target.id } });
  return 'removed';
}
