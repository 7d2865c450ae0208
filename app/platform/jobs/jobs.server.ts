import { sql } from 'kysely';
import type { z } from 'zod';
import type { Trx } from '../db/database.server';

/**
 * Slow work (mail, reminders, purges, digests) runs as jobs: retried with exponential backoff,
 * and written so that running one twice does no harm. A module defines its jobs here, and
 * enqueues them inside the transaction that makes them necessary.
 */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  name: string;
  payload: S;
  run(payload: z.infer<S>, helpers: { attempt: number; jobId: string }): Promise<void>;
  maxAttempts?: number;
};

export type CronDefinition = { job: string; pattern: string; identifier: string };

const jobs = new Map<string, JobDefinition>();
const cron: CronDefinition[] = [];

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  jobs.set(definition.name, definition as unknown as JobDefinition);
  return definition;
}

/** A job that runs on a schedule (crontab syntax, UTC), e.g. the nightly purge. */
export function defineCron(definition: CronDefinition): void {
  if (!cron.some((entry) => entry.identifier === definition.identifier)) cron.push(definition);
}

export function definedJobs(): ReadonlyMap<string, JobDefinition> {
  return jobs;
}

export function definedCron(): readonly CronDefinition[] {
  return cron;
}

export type EnqueueOptions = {
  runAt?: Date;
  /** Jobs with the same key replace each other while pending: a reminder is sent once. */
  jobKey?: string;
  maxAttempts?: number;
};

/** Queues a job; it exists only if the surrounding transaction commits. */
export async function enqueueJob<S extends z.ZodType>(
  trx: Trx,
  job: JobDefinition<S>,
  payload: z.infer<S>,
  options: EnqueueOptions = {},
): Promise<void> {
  // postgres.js serialises an object for a jsonb parameter (a JSON string would stay a string).
  const checked = job.payload.parse(payload) as Record<string, unknown>;
  await sql`select enqueue_job(${job.name}, ${checked}::jsonb, ${options.runAt ?? null}, ${options.jobKey ?? null}, ${
    options.maxAttempts ?? job.maxAttempts ?? null
  })`.execute(trx);
}
