import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '~/modules/audit/record.server';
import { withMaintenance, withWorkspace } from '~/platform/db/database.server';
import { defineCron, defineJob } from '~/platform/jobs/jobs.server';
import { getLogger } from '~/platform/logger.server';

/** How long a deleted task can be restored from its page before it goes for good. */
export const TASK_TRASH_DAYS = 30;

/**
 * The nightly purge: tasks TASK_TRASH_DAYS in the trash go for good, with their comments,
 * checklist and history (they cascade), and the audit log records each. The maintenance role
 * only finds them (ids, workspaces, when deleted); each workspace's are deleted inside it.
 */
export async function purgeDeletedTasks(): Promise<number> {
  const expired = await withMaintenance((trx) =>
    trx
      .selectFrom('tasks')
      .select(['id', 'workspaceId'])
      .where('deletedAt', '<', sql<Date>`now() - make_interval(days => ${TASK_TRASH_DAYS})`)
      .execute(),
  );
  const byWorkspace = new Map<string, string[]>();
  for (const { id, workspaceId } of expired)
    byWorkspace.set(workspaceId, [...(byWorkspace.get(workspaceId) ?? []), id]);
  let purged = 0;
  for (const [workspaceId, ids] of byWorkspace)
    await withWorkspace({ userId: null, workspaceId }, async (trx) => {
      // Restored since it was found: the deleted_at condition leaves it alone.
      const gone = await trx
        .deleteFrom('tasks')
        .using('projects')
        .whereRef('projects.id', '=', 'tasks.projectId')
        .where('tasks.id', 'in', ids)
        .where('tasks.deletedAt', '<', sql<Date>`now() - make_interval(days => ${TASK_TRASH_DAYS})`)
        .returning(['tasks.id', 'tasks.number', 'tasks.title', 'projects.key'])
        .execute();
      for (const task of gone)
        await recordAudit(trx, {
          action: 'task.purged',
          workspaceId,
          actorId: null,
          target: { type: 'task', id: task.id },
          changes: { key: `${task.key}-${task.number}`, title: task.title },
        });
      purged += gone.length;
      if (gone.length)
        getLogger().info({ workspaceId, count: gone.length }, 'purged deleted tasks');
    });
  return purged;
}

export const purgeTasksJob = defineJob({
  name: 'tasks.purge',
  payload: z.object({}).passthrough(),
  run: async () => {
    await purgeDeletedTasks();
  },
});
defineCron({ job: purgeTasksJob.name, pattern: '37 3 * * *', identifier: 'nightly-tasks-purge' });
