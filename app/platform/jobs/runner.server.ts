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
    // Finished and failed jobs are recorded through graphile-worker's batcher (0 ms: at once),
    // whose failure ends the runner, which superviseJobRunner restarts. Without a batcher the
    // record is a promise nobody awaits (graphile-worker 0.17 worker.js), so Postgres going
    // away as a job finished crashed the whole web process with an unhandled rejection.
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
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

const RESTART_AFTER_MS = 5000;

/**
 * A runner that survives its database going away. graphile-worker ends its pool when it cannot
 * record a finished job (Postgres stopped mid-job), and its `promise` then rejects; unhandled,
 * that would end the whole web process. Here the failure is logged and a new runner starts once
 * Postgres answers again (the unrecorded job runs again: jobs are idempotent).
 */
export async function superviseJobRunner(
  ownerUrl: string,
  options: { concurrency?: number } = {},
): Promise<{ stop(): Promise<void> }> {
  let current: Runner | undefined = await startJobRunner(ownerUrl, options);
  let stopped = false;
  const watch = (runner: Runner) => {
    runner.promise.catch((error: unknown) => {
      if (stopped) return;
      getLogger().error({ err: error, component: 'jobs' }, 'job runner failed; restarting');
      current = undefined;
      const retry = async () => {
        if (stopped) return;
        try {
          current = await startJobRunner(ownerUrl, options);
          watch(current);
        } catch {
          setTimeout(retry, RESTART_AFTER_MS).unref();
        }
      };
      setTimeout(retry, RESTART_AFTER_MS).unref();
    });
  };
  watch(current);
  return {
    async stop() {
      stopped = true;
      await current?.stop();
    },
  };
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
