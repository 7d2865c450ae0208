import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '~/modules/audit/record.server';
import { withMaintenance, withWorkspace } from '~/platform/db/database.server';
import { defineCron, defineJob } from '~/platform/jobs/jobs.server';
import { getLogger } from '~/platform/logger.server';
import { TASK_TRASH_DAYS } from './schema';

/** Tasks go in batches, each its own transaction: a long backlog never becomes one huge one. */
const BATCH = 500;
const expired = sql<Date>`now() - make_interval(days => ${TASK_TRASH_DAYS})`;

/**
 * The nightly purge: tasks TASK_TRASH_DAYS in the trash go for good, with their comments,
 * checklist and history (they cascade), and the audit log records each. The maintenance role
 * only finds the workspaces that have some; each workspace's are deleted inside it.
 */
export async function purgeDeletedTasks(): Promise<number> {
  const workspaces = await withMaintenance((trx) =>
    trx
      .selectFrom('tasks')
      .select('workspaceId')
      .distinct()
      .where('deletedAt', '<', expired)
      .execute(),
  );
  let purged = 0;
  for (const { workspaceId } of workspaces) {
    let batch: number;
    do {
      batch = await withWorkspace({ userId: null, workspaceId }, async (trx) => {
        const gone = await trx
          .deleteFrom('tasks')
          .using('projects')
          .whereRef('projects.id', '=', 'tasks.projectId')
          .where('tasks.id', 'in', (eb) =>
            eb.selectFrom('tasks').select('id').where('deletedAt', '<', expired).limit(BATCH),
          )
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
        return gone.length;
      });
      purged += batch;
    } while (batch === BATCH);
    getLogger().info({ workspaceId }, 'purged deleted tasks');
  }
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
