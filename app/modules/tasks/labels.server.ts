import { recordAudit } from '~/modules/audit/record.server';
import { isUniqueViolation, type Trx } from '~/platform/db/database.server';
import type { LabelColour } from '~/platform/db/schema';
import type { Viewer } from './tasks.server';

/**
 * The workspace's labels to choose from (a form's checkboxes, a filter), by name. Labels belong
 * to the workspace, so "Urgent client" means the same in every project.
 */
export async function labelChoices(trx: Trx) {
  return trx.selectFrom('labels').select(['id', 'name', 'colour']).orderBy('name').execute();
}

/** The labels page's list: each label with how many tasks carry it. */
export async function listLabels(trx: Trx) {
  return trx
    .selectFrom('labels')
    .select([
      'labels.id',
      'labels.name',
      'labels.colour',
      (eb) =>
        eb
          .selectFrom('taskLabels')
          .innerJoin('tasks', 'tasks.id', 'taskLabels.taskId')
          .select(eb.fn.countAll<number>().as('count'))
          .whereRef('taskLabels.labelId', '=', 'labels.id')
          .where('tasks.deletedAt', 'is', null)
          .as('taskCount'),
    ])
    .orderBy('labels.name')
    .execute();
}

type LabelInput = { name: string; colour: LabelColour };

/** 'taken' when another label already has this name (in any letter case). */
export async function saveLabel(
  trx: Trx,
  viewer: Viewer,
  input: LabelInput,
  labelId?: string,
): Promise<'saved' | 'taken' | 'unknown'> {
  try {
    const row = labelId
      ? await trx
          .updateTable('labels')
          .set(input)
          .where('id', '=', labelId)
          .returning('id')
          .executeTakeFirst()
      : await trx
          .insertInto('labels')
          .values({ workspaceId: viewer.ctx.workspaceId, ...input })
          .returning('id')
          .executeTakeFirst();
    if (!row) return 'unknown';
    await recordAudit(trx, {
      action: labelId ? 'label.updated' : 'label.created',
      workspaceId: viewer.ctx.workspaceId,
      actorId: viewer.ctx.userId,
      target: { type: 'label', id: row.id },
      changes: input,
    });
    return 'saved';
  } catch (error) {
    if (isUniqueViolation(error)) return 'taken';
    throw error;
  }
}

export async function removeLabel(trx: Trx, viewer: Viewer, labelId: string): Promise<boolean> {
  const removed = await trx
    .deleteFrom('labels')
    .where('id', '=', labelId)
    .returning('name')
    .executeTakeFirst();
  if (!removed) return false;
  await recordAudit(trx, {
    action: 'label.deleted',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'label', id: labelId },
    changes: { name: removed.name },
  });
  return true;
}
