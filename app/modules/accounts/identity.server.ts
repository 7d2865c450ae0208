import { recordAudit } from '~/modules/audit/record.server';
import { withSystem, type Trx } from '~/platform/db/database.server';
import type { Locale } from '~/platform/i18n/locales';
import { z } from 'zod';
import { locales } from '~/platform/i18n/locales';
import { defineJob, enqueueJob } from '~/platform/jobs/jobs.server';
import { sendMailNow } from '~/platform/mail/mailer.server';
import { queueLinkMail } from './link-mail.server';
import { accountMail, appLink } from './mails.server';
import { hashPassword, verifyPassword } from './passwords.server';
import { startSession } from './session.server';
import { consumeUserToken, findUserToken, issueUserToken } from './user-tokens.server';

/**
 * Sign-up does the same in the request whatever the address: it hashes the password and
 * queues the rest (see signUpJob), so neither the answer nor its timing says whether the
 * address already has an account.
 */
export async function signUp(
  input: { name: string; email: string; password: string },
  locale: Locale,
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await withSystem(null, (trx) =>
    enqueueJob(trx, signUpJob, { name: input.name, email: input.email, passwordHash, locale }),
  );
}

/**
 * The rest of a sign-up. A new address gets an account and a link to verify it; a verified
 * one gets "you already have an account". An address never verified is taken over by the
 * latest sign-up, and everything the earlier one set up goes with it: whoever clicks the link
 * owns the mailbox, and no one else may keep a way in.
 */
export const signUpJob = defineJob({
  name: 'accounts.sign-up',
  payload: z.object({
    name: z.string(),
    email: z.string(),
    passwordHash: z.string(),
    locale: z.enum(locales),
  }),
  maxAttempts: 8,
  async run(input) {
    const mail = await withSystem(null, async (trx) => {
      const claim = await claimAddress(trx, input);
      if (claim.kind === 'verified') {
        return accountMail('accountExists', claim.locale ?? input.locale, input.email, {
          name: claim.name ?? input.name,
          url: appLink('/forgot-password'),
        });
      }
      const { userId } = claim;
      if (claim.kind === 'new') {
        await recordAudit(trx, {
          action: 'account.signed_up',
          workspaceId: null,
          actorId: userId,
          actorLabel: input.email,
        });
      }
      const token = await issueUserToken(trx, userId, 'verify_email');
      return accountMail('verifyEmail', input.locale, input.email, {
        name: input.name,
        url: appLink(`/verify-email/${token}`),
      });
    });
    await sendMailNow(mail);
  },
});

type AddressClaim =
  | { kind: 'verified'; name: string | null; locale: Locale | null }
  | { kind: 'new' | 'taken-over'; userId: string };

/**
 * The account for a signing-up address: a verified one stays its owner's; an unverified one
 * changes hands (see takeOverUnverified); otherwise a new account. The row is locked so two
 * sign-ups for one address cannot both insert.
 */
async function claimAddress(
  trx: Trx,
  input: { name: string; email: string; passwordHash: string; locale: Locale },
): Promise<AddressClaim> {
  const existing = await trx
    .selectFrom('users')
    .select(['id', 'name', 'locale', 'emailVerifiedAt'])
    .where('email', '=', input.email)
    .forUpdate()
    .executeTakeFirst();
  if (existing?.emailVerifiedAt) {
    return { kind: 'verified', name: existing.name, locale: existing.locale };
  }
  const values = { name: input.name, passwordHash: input.passwordHash, locale: input.locale };
  if (existing) {
    await takeOverUnverified(trx, existing.id, values);
    return { kind: 'taken-over', userId: existing.id };
  }
  const created = await trx
    .insertInto('users')
    .values({ ...values, email: input.email })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { kind: 'new', userId: created.id };
}

/** An unverified account changes hands: its sessions, links, second factor and codes go. */
async function takeOverUnverified(
  trx: Trx,
  userId: string,
  values: { name: string; passwordHash: string; locale: Locale },
): Promise<void> {
  await trx
    .updateTable('users')
    .set({ ...values, totpSecret: null, totpEnabledAt: null, totpLastStep: null })
    .where('id', '=', userId)
    .where('emailVerifiedAt', 'is', null)
    .execute();
  await trx.deleteFrom('sessions').where('userId', '=', userId).execute();
  await trx.deleteFrom('userTokens').where('userId', '=', userId).execute();
  await trx.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
}

export async function isVerificationTokenValid(token: string): Promise<boolean> {
  return withSystem(null, async (trx) => Boolean(await findUserToken(trx, token, 'verify_email')));
}

/** Marks the address verified and signs its owner in; null when the link is invalid or used. */
export async function verifyEmail(token: string): Promise<{ setCookie: string } | null> {
  return withSystem(null, async (trx) => {
    const used = await consumeUserToken(trx, token, 'verify_email');
    if (!used) return null;
    const user = await trx
      .updateTable('users')
      .set({ emailVerifiedAt: new Date() })
      .where('id', '=', used.userId)
      .where('deletedAt', 'is', null)
      .returning(['id', 'email'])
      .executeTakeFirst();
    if (!user) return null;
    await recordAudit(trx, {
      action: 'account.email_verified',
      workspaceId: null,
      actorId: user.id,
      actorLabel: user.email,
    });
    await recordAudit(trx, {
      action: 'account.signed_in',
      workspaceId: null,
      actorId: user.id,
      actorLabel: user.email,
      changes: { via: 'email_verification' },
    });
    return { setCookie: await startSession(trx, user.id) };
  });
}

/** Sends a fresh link to an unverified address; says nothing, by message or timing, about whether one exists. */
export async function resendVerification(email: string, locale: Locale): Promise<void> {
  await withSystem(null, (trx) => queueLinkMail(trx, { purpose: 'verify_email', email, locale }));
}

export type SignInResult =
  | { kind: 'signed_in'; setCookie: string }
  | { kind: 'two_factor'; userId: string }
  | { kind: 'unverified' }
  | { kind: 'invalid' };

/**
 * Checks the password (an unknown address costs the same argon2 work as a known one) and
 * either starts a session or asks for the second factor. An address not yet verified signs
 * nobody in: otherwise someone could sign up with another person's address and keep a
 * session into the account that person later verifies.
 */
export async function signIn(input: { email: string; password: string }): Promise<SignInResult> {
  const user = await withSystem(null, (trx) =>
    trx
      .selectFrom('users')
      .select(['id', 'passwordHash', 'totpEnabledAt', 'emailVerifiedAt'])
      .where('email', '=', input.email)
      .where('deletedAt', 'is', null)
      .executeTakeFirst(),
  );
  const ok = await verifyPassword(input.password, user?.passwordHash);
  return withSystem(user?.id ?? null, async (trx) => {
    if (!user || !ok) {
      await recordAudit(trx, {
        action: 'account.sign_in_failed',
        workspaceId: null,
        actorId: user?.id ?? null,
        actorLabel: input.email,
      });
      return { kind: 'invalid' } as const;
    }
    if (!user.emailVerifiedAt) {
      await recordAudit(trx, {
        action: 'account.sign_in_failed',
        workspaceId: null,
        actorId: user.id,
        actorLabel: input.email,
        changes: { reason: 'email not verified' },
      });
      return { kind: 'unverified' } as const;
    }
    if (user.totpEnabledAt) return { kind: 'two_factor', userId: user.id } as const;
    await recordAudit(trx, {
      action: 'account.signed_in',
      workspaceId: null,
      actorId: user.id,
      actorLabel: input.email,
    });
    return { kind: 'signed_in', setCookie: await startSession(trx, user.id) } as const;
  });
}

export async function signOut(sessionId: string, userId: string): Promise<void> {
  await withSystem(userId, async (trx) => {
    await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    await recordAudit(trx, { action: 'account.signed_out', workspaceId: null, actorId: userId });
  });
}

/** Same answer, in the same time, whether or not the address has an account. */
export async function requestPasswordReset(email: string, locale: Locale): Promise<void> {
  await withSystem(null, (trx) => queueLinkMail(trx, { purpose: 'reset_password', email, locale }));
}

export async function isResetTokenValid(token: string): Promise<boolean> {
  return withSystem(null, async (trx) =>
    Boolean(await findUserToken(trx, token, 'reset_password')),
  );
}

/**
 * Sets the new password and signs the person out everywhere: whoever knew the old password
 * (the reason for many resets) loses access. Reading the link also proves the address.
 */
export async function resetPassword(token: string, password: string): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  return withSystem(null, async (trx) => {
    const used = await consumeUserToken(trx, token, 'reset_password');
    if (!used) return false;
    const user = await trx
      .updateTable('users')
      .set((eb) => ({
        passwordHash,
        emailVerifiedAt: eb.fn.coalesce('emailVerifiedAt', eb.val(new Date())),
      }))
      .where('id', '=', used.userId)
      .where('deletedAt', 'is', null)
      .returning(['id', 'email'])
      .executeTakeFirst();
    if (!user) return false;
    await trx.deleteFrom('sessions').where('userId', '=', user.id).execute();
    await recordAudit(trx, {
      action: 'account.password_reset',
      workspaceId: null,
      actorId: user.id,
      actorLabel: user.email,
    });
    return true;
  });
}

/** Whether someone could sign in with this address (for the invitation page's choice). */
export async function hasVerifiedAccount(email: string): Promise<boolean> {
  return withSystem(null, async (trx) =>
    Boolean(
      await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', email)
        .where('emailVerifiedAt', 'is not', null)
        .where('deletedAt', 'is', null)
        .executeTakeFirst(),
    ),
  );
}

/**
 * An account made on an invitation's page, inside the caller's transaction: the invitation's
 * link proved the address, so it is verified at once. An unverified earlier sign-up for the
 * address is taken over (and loses its sessions, links and second factor). null when a verified
 * account already exists: its owner signs in instead.
 */
export async function createVerifiedAccountIn(
  trx: Trx,
  input: { name: string; email: string; passwordHash: string; locale: Locale },
): Promise<string | null> {
  const claim = await claimAddress(trx, input);
  if (claim.kind === 'verified') return null;
  const { userId } = claim;
  await trx
    .updateTable('users')
    .set({ emailVerifiedAt: new Date() })
    .where('id', '=', userId)
    .execute();
  await recordAudit(trx, {
    action: 'account.signed_up',
    workspaceId: null,
    actorId: userId,
    actorLabel: input.email,
    changes: { via: 'invitation' },
  });
  return userId;
}
