import { recordAudit } from '~/modules/audit/record.server';
import { withSystem } from '~/platform/db/database.server';
import type { Locale } from '~/platform/i18n/locales';
import { queueMail } from '~/platform/mail/mailer.server';
import { accountMail } from './mails.server';
import { hashPassword, verifyPassword } from './passwords.server';
import { registerPersonalData } from './personal-data.server';
import { queueLinkMail } from './link-mail.server';
import { consumeUserToken, findUserToken } from './user-tokens.server';

export async function getProfile(userId: string) {
  return withSystem(userId, (trx) =>
    trx
      .selectFrom('users')
      .select([
        'name',
        'email',
        'locale',
        'timeZone',
        'emailVerifiedAt',
        'totpEnabledAt',
        'createdAt',
      ])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
  );
}

export async function updateProfile(
  userId: string,
  input: { name: string; locale: Locale | null; timeZone: string },
): Promise<void> {
  await withSystem(userId, async (trx) => {
    const before = await trx
      .selectFrom('users')
      .select(['name', 'locale', 'timeZone'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    await trx.updateTable('users').set(input).where('id', '=', userId).execute();
    const changes = Object.fromEntries(
      (Object.keys(input) as Array<keyof typeof input>)
        .filter((key) => before[key] !== input[key])
        .map((key) => [key, { from: before[key], to: input[key] }]),
    );
    if (Object.keys(changes).length > 0)
      await recordAudit(trx, {
        action: 'account.profile_updated',
        workspaceId: null,
        actorId: userId,
        changes,
      });
  });
}

async function passwordMatches(userId: string, password: string): Promise<boolean> {
  const user = await withSystem(userId, (trx) =>
    trx
      .selectFrom('users')
      .select('passwordHash')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
  );
  return verifyPassword(password, user.passwordHash);
}

/** Changes the password and ends every other session; this one stays signed in. */
export async function changePassword(
  userId: string,
  sessionId: string,
  currentPassword: string,
  newPassword: string,
): Promise<boolean> {
  if (!(await passwordMatches(userId, currentPassword))) return false;
  const passwordHash = await hashPassword(newPassword);
  await withSystem(userId, async (trx) => {
    await trx.updateTable('users').set({ passwordHash }).where('id', '=', userId).execute();
    await trx
      .deleteFrom('sessions')
      .where('userId', '=', userId)
      .where('id', '<>', sessionId)
      .execute();
    await recordAudit(trx, {
      action: 'account.password_changed',
      workspaceId: null,
      actorId: userId,
    });
  });
  return true;
}

/**
 * Sends a confirmation link to the new address; the address changes only when it is clicked.
 * If the address already has an account, its owner is told instead, and the answer is the same.
 */
export async function requestEmailChange(
  userId: string,
  currentPassword: string,
  newEmail: string,
  locale: Locale,
): Promise<boolean> {
  if (!(await passwordMatches(userId, currentPassword))) return false;
  await withSystem(userId, async (trx) => {
    await queueLinkMail(trx, { purpose: 'change_email', userId, newEmail, locale });
    await recordAudit(trx, {
      action: 'account.email_change_requested',
      workspaceId: null,
      actorId: userId,
      changes: { to: newEmail },
    });
  });
  return true;
}

export async function pendingEmailChange(token: string): Promise<string | null> {
  return withSystem(
    null,
    async (trx) => (await findUserToken(trx, token, 'change_email'))?.newEmail ?? null,
  );
}

/** Applies the change; the old address is told, in case it was not its owner who asked. */
export async function confirmEmailChange(
  userId: string,
  token: string,
  locale: Locale,
): Promise<'changed' | 'invalid' | 'taken'> {
  return withSystem(userId, async (trx) => {
    const used = await consumeUserToken(trx, token, 'change_email');
    if (!used?.newEmail || used.userId !== userId) return 'invalid';
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where('email', '=', used.newEmail)
      .executeTakeFirst();
    if (taken) return 'taken';
    const before = await trx
      .selectFrom('users')
      .select(['email', 'name', 'locale'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('users')
      .set({ email: used.newEmail, emailVerifiedAt: new Date() })
      .where('id', '=', userId)
      .execute();
    if (before.email) {
      await queueMail(
        trx,
        accountMail('emailChangedNotice', before.locale ?? locale, before.email, {
          name: before.name ?? '',
          email: used.newEmail,
        }),
      );
    }
    await recordAudit(trx, {
      action: 'account.email_changed',
      workspaceId: null,
      actorId: userId,
      changes: { from: before.email, to: used.newEmail },
    });
    return 'changed';
  });
}

export async function listSessions(userId: string) {
  return withSystem(userId, (trx) =>
    trx
      .selectFrom('sessions')
      .select(['id', 'createdAt', 'lastSeenAt', 'ip', 'userAgent'])
      .where('userId', '=', userId)
      .where('expiresAt', '>', new Date())
      .orderBy('lastSeenAt', 'desc')
      .execute(),
  );
}

export async function revokeSession(userId: string, sessionId: string): Promise<boolean> {
  return withSystem(userId, async (trx) => {
    const deleted = await trx
      .deleteFrom('sessions')
      .where('id', '=', sessionId)
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return false;
    await recordAudit(trx, {
      action: 'account.session_revoked',
      workspaceId: null,
      actorId: userId,
      target: { type: 'session', id: sessionId.slice(0, 12) },
    });
    return true;
  });
}

export async function signOutOtherSessions(
  userId: string,
  currentSessionId: string,
): Promise<number> {
  return withSystem(userId, async (trx) => {
    const deleted = await trx
      .deleteFrom('sessions')
      .where('userId', '=', userId)
      .where('id', '<>', currentSessionId)
      .executeTakeFirst();
    const count = Number(deleted.numDeletedRows);
    await recordAudit(trx, {
      action: 'account.signed_out_everywhere',
      workspaceId: null,
      actorId: userId,
      changes: { sessions: count },
    });
    return count;
  });
}

/** "Firefox on Windows" from a user agent, good enough to recognise one's own devices. */
export function describeDevice(userAgent: string | null): {
  browser: string | null;
  system: string | null;
} {
  if (!userAgent) return { browser: null, system: null };
  const browser =
    [
      [/Edg\//, 'Edge'],
      [/OPR\/|Opera/, 'Opera'],
      [/Firefox\//, 'Firefox'],
      [/Chrome\/|Chromium\//, 'Chrome'],
      [/Safari\//, 'Safari'],
    ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] ?? null;
  const system =
    [
      [/Android/, 'Android'],
      [/iPhone|iPad|iOS/, 'iOS'],
      [/Windows/, 'Windows'],
      [/Mac OS X|Macintosh/, 'macOS'],
      [/CrOS/, 'ChromeOS'],
      [/Linux/, 'Linux'],
    ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] ?? null;
  return { browser: browser as string | null, system: system as string | null };
}

registerPersonalData({
  name: 'account',
  collect: (userId) =>
    withSystem(userId, async (trx) => ({
      profile: await trx
        .selectFrom('users')
        .select([
          'id',
          'name',
          'email',
          'locale',
          'timeZone',
          'emailVerifiedAt',
          'totpEnabledAt',
          'createdAt',
          'updatedAt',
        ])
        .where('id', '=', userId)
        .executeTakeFirst(),
      sessions: await trx
        .selectFrom('sessions')
        .select(['createdAt', 'lastSeenAt', 'expiresAt', 'ip', 'userAgent'])
        .where('userId', '=', userId)
        .execute(),
      securityLog: await trx
        .selectFrom('auditEvents')
        .select(['action', 'ip', 'userAgent', 'changes', 'createdAt'])
        .where('workspaceId', 'is', null)
        .where('actorId', '=', userId)
        .orderBy('createdAt', 'desc')
        .execute(),
    })),
});

/** The account's own security log: sign-ins, password and 2FA changes (the newest 50). */
export async function listSecurityEvents(userId: string) {
  return withSystem(userId, (trx) =>
    trx
      .selectFrom('auditEvents')
      .select(['id', 'action', 'ip', 'userAgent', 'createdAt'])
      .where('workspaceId', 'is', null)
      .where('actorId', '=', userId)
      .orderBy('createdAt', 'desc')
      .limit(50)
      .execute(),
  );
}

/** The footer's language switch, for a signed-in person: it becomes their setting. */
export async function setLocale(userId: string, locale: Locale): Promise<void> {
  await withSystem(userId, (trx) =>
    trx.updateTable('users').set({ locale }).where('id', '=', userId).execute(),
  );
}
