import { recordAudit } from '~/modules/audit/record.server';
import { withSystem } from '~/platform/db/database.server';
import type { Locale } from '~/platform/i18n/locales';
import { queueMail } from '~/platform/mail/mailer.server';
import { accountMail, appLink } from './mails.server';
import { hashPassword, verifyPassword } from './passwords.server';
import { startSession } from './session.server';
import { consumeUserToken, findUserToken, issueUserToken } from './user-tokens.server';

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

/**
 * Sign-up answers the same whether or not the address is taken: a new address gets a link to
 * verify, a known one gets "you already have an account". Whoever clicks the link owns the
 * mailbox; only then is anyone signed in.
 */
export async function signUp(
  input: { name: string; email: string; password: string },
  locale: Locale,
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  try {
    await withSystem(null, async (trx) => {
      const existing = await trx
        .selectFrom('users')
        .select(['id', 'name', 'locale', 'emailVerifiedAt'])
        .where('email', '=', input.email)
        .executeTakeFirst();
      if (existing?.emailVerifiedAt) {
        const mail = accountMail('accountExists', existing.locale ?? locale, input.email, {
          name: existing.name ?? input.name,
          url: appLink('/forgot-password'),
        });
        await queueMail(trx, mail);
        return;
      }
      let userId: string;
      if (existing) {
        // Never verified: the latest sign-up wins, and only the mailbox's owner can finish it.
        await trx
          .updateTable('users')
          .set({ name: input.name, passwordHash, locale })
          .where('id', '=', existing.id)
          .execute();
        userId = existing.id;
      } else {
        const created = await trx
          .insertInto('users')
          .values({ name: input.name, email: input.email, passwordHash, locale })
          .returning('id')
          .executeTakeFirstOrThrow();
        userId = created.id;
        await recordAudit(trx, {
          action: 'account.signed_up',
          workspaceId: null,
          actorId: userId,
          actorLabel: input.email,
        });
      }
      const token = await issueUserToken(trx, userId, 'verify_email');
      await queueMail(
        trx,
        accountMail('verifyEmail', locale, input.email, {
          name: input.name,
          url: appLink(`/verify-email/${token}`),
        }),
      );
    });
  } catch (error) {
    // Two sign-ups for one address at once: the other one won; the answer stays the same.
    if (!isUniqueViolation(error)) throw error;
  }
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

/** Sends a fresh link to an unverified address; says nothing about whether one exists. */
export async function resendVerification(email: string, locale: Locale): Promise<void> {
  await withSystem(null, async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'name', 'locale'])
      .where('email', '=', email)
      .where('emailVerifiedAt', 'is', null)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    if (!user) return;
    const token = await issueUserToken(trx, user.id, 'verify_email');
    await queueMail(
      trx,
      accountMail('verifyEmail', user.locale ?? locale, email, {
        name: user.name ?? '',
        url: appLink(`/verify-email/${token}`),
      }),
    );
  });
}

export type SignInResult =
  | { kind: 'signed_in'; setCookie: string }
  | { kind: 'two_factor'; userId: string }
  | { kind: 'invalid' };

/**
 * Checks the password (an unknown address costs the same argon2 work as a known one) and
 * either starts a session or asks for the second factor.
 */
export async function signIn(input: { email: string; password: string }): Promise<SignInResult> {
  const user = await withSystem(null, (trx) =>
    trx
      .selectFrom('users')
      .select(['id', 'passwordHash', 'totpEnabledAt'])
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

/** Same answer whether or not the address has an account. */
export async function requestPasswordReset(email: string, locale: Locale): Promise<void> {
  await withSystem(null, async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'name', 'locale'])
      .where('email', '=', email)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    if (!user) return;
    const token = await issueUserToken(trx, user.id, 'reset_password');
    await queueMail(
      trx,
      accountMail('resetPassword', user.locale ?? locale, email, {
        name: user.name ?? '',
        url: appLink(`/reset-password/${token}`),
      }),
    );
    await recordAudit(trx, {
      action: 'account.password_reset_requested',
      workspaceId: null,
      actorId: user.id,
      actorLabel: email,
    });
  });
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
 * An account made on an invitation's page: the invitation's link proved the address, so it is
 * verified at once and signed in. An unverified earlier sign-up for the address is taken over.
 * null when a verified account already exists (its owner signs in instead).
 */
export async function createAccountFromInvitation(
  input: { name: string; email: string; password: string },
  locale: Locale,
): Promise<{ userId: string; setCookie: string } | null> {
  const passwordHash = await hashPassword(input.password);
  return withSystem(null, async (trx) => {
    const existing = await trx
      .selectFrom('users')
      .select(['id', 'emailVerifiedAt'])
      .where('email', '=', input.email)
      .executeTakeFirst();
    if (existing?.emailVerifiedAt) return null;
    const values = { name: input.name, passwordHash, locale, emailVerifiedAt: new Date() };
    const user = existing
      ? await trx
          .updateTable('users')
          .set(values)
          .where('id', '=', existing.id)
          .returning('id')
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('users')
          .values({ ...values, email: input.email })
          .returning('id')
          .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'account.signed_up',
      workspaceId: null,
      actorId: user.id,
      actorLabel: input.email,
      changes: { via: 'invitation' },
    });
    return { userId: user.id, setCookie: await startSession(trx, user.id) };
  });
}
