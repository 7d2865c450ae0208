import type { Trx } from '~/platform/db/database.server';
import type { Json } from '~/platform/db/schema';
import { currentRequestContext } from '~/platform/request-context.server';

/** Every action the log records; the audit page translates each (audit:actions.<name>). */
export const auditActions = [
  'account.signed_up',
  'account.email_verified',
  'account.signed_in',
  'account.sign_in_failed',
  'account.signed_out',
  'account.signed_out_everywhere',
  'account.session_revoked',
  'account.password_changed',
  'account.password_reset_requested',
  'account.password_reset',
  'account.email_change_requested',
  'account.email_changed',
  'account.two_factor_enabled',
  'account.two_factor_disabled',
  'account.recovery_codes_regenerated',
  'account.recovery_code_used',
  'account.profile_updated',
  'account.deleted',
  'workspace.created',
  'workspace.renamed',
  'workspace.settings_updated',
  'workspace.deleted',
  'workspace.restored',
  'workspace.logo_changed',
  'workspace.logo_removed',
  'member.invited',
  'member.invitation_resent',
  'member.invitation_revoked',
  'member.joined',
  'member.role_changed',
  'member.deactivated',
  'member.reactivated',
  'member.removed',
  'member.ownership_transferred',
  'division.created',
  'division.renamed',
  'division.deleted',
  'division.members_changed',
  'job.retried',
  'file.uploaded',
  'file.renamed',
  'file.deleted',
  'file.restored',
  'file.purged',
  'file.link_created',
  'project.created',
  'project.updated',
  'project.deleted',
  'project.restored',
  'project.purged',
  'project.member_added',
  'project.member_removed',
  'project.statuses_changed',
  'task.created',
  'task.updated',
  'task.deleted',
  'task.restored',
  'task.purged',
  'task.commented',
  'task.checklist_changed',
  'label.created',
  'label.updated',
  'label.deleted',
  'chat.conversation_created',
  'chat.conversation_renamed',
  'chat.member_added',
  'chat.member_removed',
  'chat.member_left',
  'chat.message_deleted',
] as const;
export type AuditAction = (typeof auditActions)[number];

export type AuditEntry = {
  action: AuditAction;
  /** null for an account event (sign-in, password): it belongs to the person, not a workspace. */
  workspaceId: string | null;
  actorId: string | null;
  /** Who it was at the time, kept even if the account is later deleted; for a failed sign-in, the email typed. */
  actorLabel?: string | null;
  target?: { type: string; id: string };
  changes?: Record<string, unknown>;
};

/**
 * Writes the audit row in the caller's transaction, so the record exists exactly when the change
 * does. IP and user agent come from the request being served.
 */
export async function recordAudit(trx: Trx, entry: AuditEntry): Promise<void> {
  const request = currentRequestContext();
  await trx
    .insertInto('auditEvents')
    .values({
      workspaceId: entry.workspaceId,
      actorId: entry.actorId,
      actorLabel: entry.actorLabel ?? null,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      ip: request?.ip ?? null,
      userAgent: request?.userAgent?.slice(0, 500) ?? null,
      // postgres.js serialises objects for a jsonb parameter itself (a string would be stored as a JSON string).
      changes: (entry.changes ?? {}) as Json,
    })
    .execute();
}
