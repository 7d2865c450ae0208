import { sql } from 'kysely';
import { z } from 'zod';
import { createVerifiedAccountIn } from '~/modules/accounts/identity.server';
import { appLink } from '~/modules/accounts/mails.server';
import { hashPassword } from '~/modules/accounts/passwords.server';
import { startSession } from '~/modules/accounts/session.server';
import { recordAudit } from '~/modules/audit/record.server';
import {
  enterWorkspace,
  isUniqueViolation,
  withWorkspace,
  type Trx,
  type WorkspaceContext,
} from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import { locales, type Locale } from '~/platform/i18n/locales';
import { defineJob, enqueueJob } from '~/platform/jobs/jobs.server';
import { sendMailNow } from '~/platform/mail/mailer.server';
import { hashToken, randomToken } from '~/platform/tokens.server';
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
  const [workspaceId, secret, extra] = token.split('.');
  const valid =
    workspaceId &&
    secret &&
    extra === undefined &&
    z.uuid().safeParse(workspaceId).success &&
    /^[\w-]{32,64}$/.test(secret);
  return valid ? workspaceId : null;
}

/**
 * The invitation mail is composed by the job that sends it, with a token made at that moment:
 * the link never sits in a job payload, and only the newest one works.
 */
export const sendInvitationJob = defineJob({
  name: 'invitations.send',
  payload: z.object({ invitationId: z.uuid(), locale: z.enum(locales), workspaceId: z.uuid() }),
  maxAttempts: 8,
  async run({ invitationId, locale, workspaceId }) {
    const mail = await withWorkspace({ userId: null, workspaceId }, async (trx) => {
      const token = newInvitationToken(workspaceId);
      const invitation = await trx
        .updateTable('invitations')
        .set({ tokenHash: hashToken(token), lastSentAt: new Date() })
        .where('id', '=', invitationId)
        .where('acceptedAt', 'is', null)
        .where('revokedAt', 'is', null)
        .where('expiresAt', '>', new Date())
        .returning(['email', 'role', 'invitedBy'])
        .executeTakeFirst();
      if (!invitation) return null;
      return invitationMail(
        trx,
        { userId: invitation.invitedBy, workspaceId },
        invitation.email,
        invitation.role,
        appLink(`/invitations/${token}`),
        locale,
      );
    });
    if (mail) await sendMailNow(mail);
  },
});

function queueInvitation(trx: Trx, invitationId: string, locale: Locale, workspaceId: string) {
  return enqueueJob(trx, sendInvitationJob, { invitationId, locale, workspaceId });
}

export type InviteResult =
  { kind: 'sent' } | { kind: 'already_member' } | { kind: 'already_invited' };

/**
 * Invites an address with a role; the link is valid 7 days and only its hash is stored. The
 * mail is in the inviter's language (the invitee's is unknown until they have an account).
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
    const invitation = await trx
      .insertInto('invitations')
      .values({
        workspaceId: ctx.workspaceId,
        email: input.email,
        role: input.role,
        // Replaced by the sending job's token; until then no link can match it.
        tokenHash: hashToken(randomToken()),
        invitedBy: ctx.userId,
        expiresAt: sql<Date>`now() + make_interval(days => ${INVITATION_DAYS})`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await queueInvitation(trx, invitation.id, locale, ctx.workspaceId);
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

/** Another 7 days and a new link (the old one stops working when it is sent). */
export async function resendInvitation(
  ctx: WorkspaceContext,
  invitationId: string,
  locale: Locale,
): Promise<boolean> {
  return withWorkspace(ctx, async (trx) => {
    const invitation = await trx
      .updateTable('invitations')
      .set({ expiresAt: sql<Date>`now() + make_interval(days => ${INVITATION_DAYS})` })
      .where('id', '=', invitationId)
      .where('acceptedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!invitation) return false;
    await queueInvitation(trx, invitationId, locale, ctx.workspaceId);
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

/** The invitation a link names, if it can be accepted now (unused, not withdrawn, not expired, workspace not deleted). */
async function validInvitationIn(trx: Trx, token: string, lock: boolean) {
  const query = trx
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
    .where('workspaces.deletedAt', 'is', null);
  return (lock ? query.forUpdate('invitations') : query).executeTakeFirst();
}

/** What the invitation page shows; null when the link is unknown, used, withdrawn or expired. */
export async function viewInvitation(
  token: string,
): Promise<(InvitationView & { slug: string }) | null> {
  const workspaceId = workspaceOfToken(token);
  if (!workspaceId) return null;
  const found = await withWorkspace({ userId: null, workspaceId }, (trx) =>
    validInvitationIn(trx, token, false),
  );
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

/** The invitation is used up and its person becomes a member, in the caller's transaction. */
async function joinIn(
  trx: Trx,
  workspaceId: string,
  invitation: { id: string; role: WorkspaceRole },
  user: { id: string; email: string },
) {
  await trx
    .updateTable('invitations')
    .set({ acceptedAt: new Date(), acceptedBy: user.id })
    .where('id', '=', invitation.id)
    .execute();
  await trx
    .insertInto('memberships')
    .values({ workspaceId, userId: user.id, role: invitation.role })
    .onConflict((oc) => oc.columns(['workspaceId', 'userId']).doNothing())
    .execute();
  // The invitation proved the address.
  await trx
    .updateTable('users')
    .set((eb) => ({ emailVerifiedAt: eb.fn.coalesce('emailVerifiedAt', eb.val(new Date())) }))
    .where('id', '=', user.id)
    .execute();
  await recordAudit(trx, {
    action: 'member.joined',
    workspaceId,
    actorId: user.id,
    actorLabel: user.email,
    target: { type: 'invitation', id: invitation.id },
    changes: { role: invitation.role },
  });
}

export type AcceptResult =
  { kind: 'joined'; slug: string } | { kind: 'invalid' } | { kind: 'wrong_account'; email: string };

/**
 * Joins the signed-in person to the workspace, in one transaction with the invitation locked:
 * a withdrawal or a second click at the same moment cannot both win. The account must be the
 * invited address: the link went to that mailbox, and an invitation is not transferable.
 */
export async function acceptInvitation(
  token: string,
  user: { id: string; email: string },
): Promise<AcceptResult> {
  const workspaceId = workspaceOfToken(token);
  if (!workspaceId) return { kind: 'invalid' };
  return withWorkspace({ userId: user.id, workspaceId }, async (trx) => {
    const invitation = await validInvitationIn(trx, token, true);
    if (!invitation) return { kind: 'invalid' } as const;
    if (invitation.email.toLowerCase() !== user.email.toLowerCase())
      return { kind: 'wrong_account', email: invitation.email } as const;
    await joinIn(trx, workspaceId, invitation, user);
    return { kind: 'joined', slug: invitation.slug } as const;
  });
}

export type JoinWithAccountResult =
  | { kind: 'joined'; slug: string; setCookie: string }
  | { kind: 'invalid' }
  | { kind: 'has_account' };

/**
 * A new person joins from the invitation page: account, membership and session in one
 * transaction. If the address already has a verified account, its owner signs in instead.
 */
export async function joinWithNewAccount(
  token: string,
  input: { name: string; password: string },
  locale: Locale,
): Promise<JoinWithAccountResult> {
  const workspaceId = workspaceOfToken(token);
  if (!workspaceId) return { kind: 'invalid' };
  const passwordHash = await hashPassword(input.password);
  try {
    return await withWorkspace({ userId: null, workspaceId }, async (trx) => {
      const invitation = await validInvitationIn(trx, token, true);
      if (!invitation) return { kind: 'invalid' } as const;
      // The account is the person's, not the workspace's: made outside it, then back in.
      await enterWorkspace(trx, null);
      const userId = await createVerifiedAccountIn(trx, {
        name: input.name,
        email: invitation.email,
        passwordHash,
        locale,
      });
      await enterWorkspace(trx, workspaceId);
      if (!userId) return { kind: 'has_account' } as const;
      await joinIn(trx, workspaceId, invitation, { id: userId, email: invitation.email });
      return {
        kind: 'joined',
        slug: invitation.slug,
        setCookie: await startSession(trx, userId),
      } as const;
    });
  } catch (error) {
    // Two submissions at once: the other one made the account.
    if (isUniqueViolation(error)) return { kind: 'invalid' };
    throw error;
  }
}
