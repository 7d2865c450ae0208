import { sql } from 'kysely';
import { recordAudit } from '~/modules/audit/record.server';
import { withWorkspace, type Trx, type WorkspaceContext } from '~/platform/db/database.server';

/** Jobs of this workspace that failed at least once (mail that could not be sent, …), newest first. */
export async function listJobFailures(ctx: WorkspaceContext) {
  return withWorkspace(ctx, jobFailuresIn);
}

export async function jobFailuresIn(trx: Trx) {
  const { rows } = await sql<{
    id: string;
    task: string;
    attempts: number;
    maxAttempts: number;
    lastError: string | null;
    runAt: Date;
    createdAt: Date;
  }>`select id, task, attempts, max_attempts as "maxAttempts", last_error as "lastError", run_at as "runAt", created_at as "createdAt" from workspace_job_failures()`.execute(
    trx,
  );
  return rows;
}

export async function retryJob(ctx: WorkspaceContext, jobId: string): Promise<boolean> {
  return withWorkspace(ctx, async (trx) => {
    const { rows } = await sql<{
      retried: boolean | null;
    }>`select retry_workspace_job(${jobId}::bigint) as retried`.execute(trx);
    if (!rows[0]?.retried) return false;
    await recordAudit(trx, {
      action: 'job.retried',
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      target: { type: 'job', id: jobId },
    });
    return true;
  });
}
