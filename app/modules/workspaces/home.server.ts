import { sql } from 'kysely';
import { auditEventsIn } from '~/modules/audit/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { countMembersIn } from './members.server';
import { workspacePolicy } from './policy';
import type { Member } from './queries.server';

/**
 * Everything the workspace's home shows, in one transaction: who is here, and for admins how
 * many invitations wait, how many jobs failed, and the latest of the audit log.
 */
export async function workspaceHome(member: Member, timeZone: string) {
  const admin = workspacePolicy.manageMembers(member.role);
  return withWorkspace(member.ctx, async (trx) => {
    // A guest sees only what they were added to: not even who else is here.
    const counts = member.role === 'guest' ? {} : await countMembersIn(trx);
    if (!admin) return { admin, counts, pendingInvitations: 0, failedJobs: 0, recent: [] };
    const { rows } = await sql<{ pendingInvitations: string; failedJobs: string }>`
      select (select count(*) from invitations where accepted_at is null and revoked_at is null) as pending_invitations,
             (select count(*) from workspace_job_failures()) as failed_jobs`.execute(trx);
    const recent = await auditEventsIn(trx, member.workspace.id, {}, timeZone, 1, 5, {
      total: false,
    });
    return {
      admin,
      counts,
      pendingInvitations: Number(rows[0]?.pendingInvitations ?? 0),
      failedJobs: Number(rows[0]?.failedJobs ?? 0),
      recent: recent.rows,
    };
  });
}
