import type { Runner, TaskList } from 'graphile-worker';
import { getLogger } from '../logger.server';
import { definedCron, definedJobs } from './jobs.server';
import { jobQueueLogger } from './logger.server';

/**
 * Runs the queue: inside the web process by default, or alone with `npm run worker`
 * (JOBS=off on the web process then). Postgres is the only moving part; any number of
 * runners share the queue safely.
 */
export async function startJobRunner(
  ownerUrl: string,
  options: { concurrency?: number } = {},
): Promise<Runner> {
  const { parseCronItems, run } = await import('graphile-worker');
  return run({
    connectionString: ownerUrl,
    concurrency: options.concurrency ?? 2,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: await jobQueueLogger(),
    taskList: taskList(),
    parsedCronItems: parseCronItems(
      definedCron().map((entry) => ({
        task: entry.job,
        match: entry.pattern,
        identifier: entry.identifier,
        options: { backfillPeriod: 0 },
      })),
    ),
  });
}

/** Every defined job as a graphile-worker task; the payload is checked before the job runs. */
export function taskList(): TaskList {
  const tasks: TaskList = {};
  for (const job of definedJobs().values()) {
    tasks[job.name] = async (rawPayload, helpers) => {
      const payload = job.payload.parse(rawPayload);
      const started = Date.now();
      await job.run(payload, { attempt: helpers.job.attempts, jobId: helpers.job.id });
      getLogger().info(
        { job: job.name, jobId: helpers.job.id, ms: Date.now() - started },
        'job done',
      );
    };
  }
  return tasks;
}
