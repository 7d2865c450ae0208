import { sql } from 'kysely';
import { appLink } from '~/modules/accounts/mails.server';
import { recordAudit } from '~/modules/audit/record.server';
import { withWorkspace, type Trx, type WorkspaceContext } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import type { Locale } from '~/platform/i18n/locales';
import { queueMail } from '~/platform/mail/mailer.server';
import { hashToken, randomToken } from '~/platform/tokens.server';
import { z } from 'zod';
import { invitationMail } from './mails.server';

export const INVITATION_DAYS = 7;

/**
 * The link's token names its workspace in the clear ("<workspace id>.<random>"): the invitee is
 * not a member yet, and RLS shows invitations only inside their own workspace.
 */
function newInvitationToken(workspaceId: string): string {
  return `${workspaceId}.${randomToken()}`;
}

export function workspaceOfToken(token: string): string | null {
  const [workspaceId, secret] = token.split('.');
  return workspaceId &&
    secret &&
    z.uuid().safeParse(workspaceId).success &&
    secret.length >= 32 &&
    secret.length <= 64
    ? workspaceId
    : null;
}

export type InviteResult =
  { kind: 'sent' } | { kind: 'already_member' } | { kind: 'already_invited' };

/**
 * Invites an address with a role. The link is valid 7 days; only its hash is stored. The mail
 * is in the inviter's language (the invitee's is unknown until they have an account).
 */
export async function inviteMember(
  ctx: WorkspaceContext,
  input: { email: string; role: WorkspaceRole },
  locale: Locale,
): Promise<InviteResult> {
  return withWorkspace(ctx, async (trx) => {
    const member = await trx
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.userId')
      .select('users.id')
      .where('users.email', '=', input.email)
      .executeTakeFirst();
    if (member) return { kind: 'already_member' };
    const pending = await trx
      .selectFrom('invitations')
      .select('id')
      .where('email', '=', input.email)
      .where('acceptedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .where('expiresAt', '>', new Date())
      .executeTakeFirst();
    if (pending) return { kind: 'already_invited' };
    // An expired invitation to the same address is retired so the new one can take its place.
    await trx
      .updateTable('invitations')
      .set({ revokedAt: new Date() })
      .where('email', '=', input.email)
      .where('acceptedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .execute();
    const token = newInvitationToken(ctx.workspaceId);
    const invitation = await trx
      .insertInto('invitations')
      .values({
        workspaceId: ctx.workspaceId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: ctx.userId,
        expiresAt: sql<Date>`now() + make_interval(days => ${INVITATION_DAYS})`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await queueMail(
      trx,
      await invitationMail(
        trx,
        ctx,
        input.email,
        input.role,
        appLink(`/invitations/${token}`),
        locale,
      ),
    );
    await recordAudit(trx, {
      action: 'member.invited',
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      target: { type: 'invitation', id: invitation.id },
      changes: { email: input.email, role: input.role },
    });
    return { kind: 'sent' };
  });
}

export async function listPendingInvitations(ctx: WorkspaceContext) {
  return withWorkspace(ctx, pendingInvitationsIn);
}

/** Invitations sent and neither accepted nor withdrawn (expired ones included), newest first. */
export function pendingInvitationsIn(trx: Trx) {
  return trx
    .selectFrom('invitations')
    .leftJoin('users', 'users.id', 'invitations.invitedBy')
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.role',
      'invitations.createdAt',
      'invitations.lastSentAt',
      'invitations.expiresAt',
      'users.name as invitedByName',
    ])
    .where('invitations.acceptedAt', 'is', null)
    .where('invitations.revokedAt', 'is', null)
    .orderBy('invitations.createdAt', 'desc')
    .execute();
}

/** A new link (the old one stops working) and another 7 days. */
export async function resendInvitation(
  ctx: WorkspaceContext,
  invitationId: string,
  locale: Locale,
): Promise<boolean> {
  return withWorkspace(ctx, async (trx) => {
    const token = newInvitationToken(ctx.workspaceId);
    const invitation = await trx
      .updateTable('invitations')
      .set({
        tokenHash: hashToken(token),
        lastSentAt: new Date(),
        expiresAt: sql<Date>`now() + make_interval(days => ${INVITATION_DAYS})`,
      })
      .where('id', '=', invitationId)
      .where('acceptedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .returning(['email', 'role'])
      .executeTakeFirst();
    if (!invitation) return false;
    await queueMail(
      trx,
      await invitationMail(
        trx,
        ctx,
        invitation.email,
        invitation.role,
        appLink(`/invitations/${token}`),
        locale,
      ),
    );
    await recordAudit(trx, {
      action: 'member.invitation_resent',
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      target: { type: 'invitation', id: invitationId },
    });
    return true;
  });
}

export async function revokeInvitation(
  ctx: WorkspaceContext,
  invitationId: string,
): Promise<boolean> {
  return withWorkspace(ctx, async (trx) => {
    const revoked = await trx
      .updateTable('invitations')
      .set({ revokedAt: new Date() })
      .where('id', '=', invitationId)
      .where('acceptedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .returning(['email'])
      .executeTakeFirst();
    if (!revoked) return false;
    await recordAudit(trx, {
      action: 'member.invitation_revoked',
      workspaceId: ctx.workspaceId,
      actorId: ctx.userId,
      target: { type: 'invitation', id: invitationId },
      changes: { email: revoked.email },
    });
    return true;
  });
}

export type InvitationView = {
  workspaceName: string;
  email: string;
  role: WorkspaceRole;
  invitedByName: string | null;
};

async function findValidInvitation(token: string, userId: string | null) {
  const workspaceId = workspaceOfToken(token);
  if (!workspaceId) return null;
  return withWorkspace({ userId, workspaceId }, async (trx) => {
    const row = await trx
      .selectFrom('invitations')
      .innerJoin('workspaces', 'workspaces.id', 'invitations.workspaceId')
      .leftJoin('users', 'users.id', 'invitations.invitedBy')
      .select([
        'invitations.id',
        'invitations.email',
        'invitations.role',
        'workspaces.name as workspaceName',
        'workspaces.slug',
        'users.name as invitedByName',
      ])
      .where('invitations.tokenHash', '=', hashToken(token))
      .where('invitations.acceptedAt', 'is', null)
      .where('invitations.revokedAt', 'is', null)
      .where('invitations.expiresAt', '>', new Date())
      .where('workspaces.deletedAt', 'is', null)
      .executeTakeFirst();
    return row ? { ...row, workspaceId } : null;
  });
}

/** What the invitation page shows; null when the link is unknown, used, revoked or expired. */
export async function viewInvitation(
  token: string,
): Promise<(InvitationView & { slug: string }) | null> {
  const found = await findValidInvitation(token, null);
  return found
    ? {
        workspaceName: found.workspaceName,
        email: found.email,
        role: found.role,
        invitedByName: found.invitedByName,
        slug: found.slug,
      }
    : null;
}

/**
 * Joins the signed-in person to the workspace. The account must be the invited address: the
 * link went to that mailbox, and an invitation is not transferable.
 */
export async function acceptInvitation(
  token: string,
  user: { id: string; email: string },
): Promise<
  { kind: 'joined'; slug: string } | { kind: 'invalid' } | { kind: 'wrong_account'; email: string }
> {
  const found = await findValidInvitation(token, user.id);
  if (!found) return { kind: 'invalid' };
  if (found.email.toLowerCase() !== user.email.toLowerCase())
    return { kind: 'wrong_account', email: found.email };
  return withWorkspace({ userId: user.id, workspaceId: found.workspaceId }, async (trx) => {
    const accepted = await trx
      .updateTable('invitations')
      .set({ acceptedAt: new Date(), acceptedBy: user.id })
      .where('id', '=', found.id)
      .where('acceptedAt', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!accepted) return { kind: 'invalid' } as const;
    await trx
      .insertInto('memberships')
      .values({ workspaceId: found.workspaceId, userId: user.id, role: found.role })
      .onConflict((oc) => oc.columns(['workspaceId', 'userId']).doNothing())
      .execute();
    // The invitation proved the address: an account made from it needs no second verification.
    await trx
      .updateTable('users')
      .set((eb) => ({ emailVerifiedAt: eb.fn.coalesce('emailVerifiedAt', eb.val(new Date())) }))
      .where('id', '=', user.id)
      .execute();
    await recordAudit(trx, {
      action: 'member.joined',
      workspaceId: found.workspaceId,
      actorId: user.id,
      actorLabel: user.email,
      target: { type: 'invitation', id: found.id },
      changes: { role: found.role },
    });
    return { kind: 'joined', slug: found.slug } as const;
  });
}
