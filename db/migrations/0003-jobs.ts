import { sql, type Kysely } from 'kysely';

/**
 * The app role reaches the job queue (graphile-worker's schema, owned by the migrating role)
 * only through these functions. A job enqueued inside a workspace carries that workspace,
 * whatever the caller wrote, so a job can never be pointed at another tenant's data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function enqueue_job(
      task text, payload jsonb, run_at timestamptz default null, job_key text default null,
      max_attempts int default null, job_key_mode text default 'replace'
    ) returns void language sql security definer set search_path = pg_catalog, public as $f$
      select from graphile_worker.add_job(
        task,
        (case when app_workspace_id() is null then payload
              else payload || jsonb_build_object('workspaceId', app_workspace_id()) end)::json,
        run_at => run_at, job_key => job_key, max_attempts => max_attempts, job_key_mode => job_key_mode
      )
    $f$;

    -- Jobs of the current workspace that failed at least once, for its admins.
    create function workspace_job_failures() returns table (
      id bigint, task text, attempts smallint, max_attempts smallint, last_error text,
      run_at timestamptz, created_at timestamptz
    ) language sql stable security definer set search_path = pg_catalog, public as $f$
      select j.id, t.identifier, j.attempts, j.max_attempts, j.last_error, j.run_at, j.created_at
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where j.last_error is not null
        and (j.payload ->> 'workspaceId') = app_workspace_id()::text
      order by j.updated_at desc
      limit 200
    $f$;

    -- Run a failed job of the current workspace again, now, with a fresh set of attempts.
    create function retry_workspace_job(job_id bigint) returns boolean
    language sql security definer set search_path = pg_catalog, public as $f$
      update graphile_worker._private_jobs
         set attempts = 0, run_at = now(), last_error = null
       where id = job_id and locked_at is null
         and (payload ->> 'workspaceId') = app_workspace_id()::text
      returning true
    $f$;

    -- For /metrics: how much work waits, and how much has failed for good.
    create function job_queue_depth(out pending bigint, out failed bigint)
    language sql stable security definer set search_path = pg_catalog, public as $f$
      select count(*) filter (where attempts < max_attempts and locked_at is null and run_at <= now()),
             count(*) filter (where attempts >= max_attempts)
      from graphile_worker._private_jobs
    $f$;

    revoke all on function enqueue_job(text, jsonb, timestamptz, text, int, text), workspace_job_failures(),
      retry_workspace_job(bigint), job_queue_depth() from public;
    grant execute on function enqueue_job(text, jsonb, timestamptz, text, int, text), workspace_job_failures(),
      retry_workspace_job(bigint), job_queue_depth() to workroom_app;
  `.execute(db);
}
