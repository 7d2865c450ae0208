import { randomBytes } from 'node:crypto';
import { createCookie } from '@remix-run/node';
import * as OTPAuth from 'otpauth';
import { z } from 'zod';
import { recordAudit } from '~/modules/audit/record.server';
import { withSystem, type Trx } from '~/platform/db/database.server';
import { getEnv } from '~/platform/env.server';
import { singleton } from '~/platform/singleton.server';
import { hashToken } from '~/platform/tokens.server';
import { verifyPassword } from './passwords.server';
import { startSession } from './session.server';

const PERIOD = 30;
const RECOVERY_CODE_COUNT = 10;

function totpFor(secret: string, email: string) {
  return new OTPAuth.TOTP({
    issuer: 'Workroom',
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

/** The 30-second step a code belongs to, if it is valid now (one step of clock drift either way). */
function acceptedStep(secret: string, code: string): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secret, '').validate({ token: code, window: 1 });
  return delta === null ? null : Math.floor(Date.now() / 1000 / PERIOD) + delta;
}

export type TwoFactorSetup = { secret: string; qrSvg: string };

export type TwoFactorState =
  | { state: 'off' }
  | { state: 'pending'; setup: TwoFactorSetup }
  | { state: 'on'; unusedRecoveryCodes: number };

/** What the two-factor page shows: off, set up but unconfirmed (with its QR code), or on. */
export async function getTwoFactorState(userId: string, email: string): Promise<TwoFactorState> {
  const user = await withSystem(userId, (trx) =>
    trx
      .selectFrom('users')
      .select(['totpSecret', 'totpEnabledAt'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
  );
  if (user.totpEnabledAt)
    return { state: 'on', unusedRecoveryCodes: await unusedRecoveryCodeCount(userId) };
  if (!user.totpSecret) return { state: 'off' };
  return { state: 'pending', setup: await setupFor(user.totpSecret, email) };
}

/** The QR code is drawn on the server as SVG; the secret is also shown as text for apps that cannot scan. */
async function setupFor(secret: string, email: string): Promise<TwoFactorSetup> {
  // Loaded when a QR code is first drawn, not at start.
  const { default: QRCode } = await import('qrcode');
  const qrSvg = await QRCode.toString(totpFor(secret, email).toString(), {
    type: 'svg',
    margin: 1,
    errorCorrectionLevel: 'M',
  });
  return { secret, qrSvg };
}

/** Starts setup: a new secret is kept on the account but does nothing until a code confirms it. */
export async function beginTwoFactorSetup(userId: string): Promise<void> {
  await withSystem(userId, async (trx) => {
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await trx
      .updateTable('users')
      .set({ totpSecret: secret, totpLastStep: null })
      .where('id', '=', userId)
      .where('totpEnabledAt', 'is', null)
      .execute();
  });
}

/** Turns 2FA on when the code matches the pending secret; returns the recovery codes, shown once. */
export async function confirmTwoFactorSetup(
  userId: string,
  code: string,
): Promise<string[] | null> {
  return withSystem(userId, async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['totpSecret', 'totpEnabledAt', 'email'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    if (!user.totpSecret || user.totpEnabledAt) return null;
    const step = acceptedStep(user.totpSecret, code);
    if (step === null) return null;
    await trx
      .updateTable('users')
      .set({ totpEnabledAt: new Date(), totpLastStep: String(step) })
      .where('id', '=', userId)
      .execute();
    const codes = await replaceRecoveryCodes(trx, userId);
    await recordAudit(trx, {
      action: 'account.two_factor_enabled',
      workspaceId: null,
      actorId: userId,
      actorLabel: user.email,
    });
    return codes;
  });
}

export async function disableTwoFactor(userId: string, password: string): Promise<boolean> {
  const user = await withSystem(userId, (trx) =>
    trx
      .selectFrom('users')
      .select(['passwordHash', 'email'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
  );
  if (!(await verifyPassword(password, user.passwordHash))) return false;
  await withSystem(userId, async (trx) => {
    await trx
      .updateTable('users')
      .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null })
      .where('id', '=', userId)
      .execute();
    await trx.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
    await recordAudit(trx, {
      action: 'account.two_factor_disabled',
      workspaceId: null,
      actorId: userId,
      actorLabel: user.email,
    });
  });
  return true;
}

export async function regenerateRecoveryCodes(
  userId: string,
  password: string,
): Promise<string[] | null> {
  const user = await withSystem(userId, (trx) =>
    trx
      .selectFrom('users')
      .select(['passwordHash', 'totpEnabledAt', 'email'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
  );
  if (!user.totpEnabledAt || !(await verifyPassword(password, user.passwordHash))) return null;
  return withSystem(userId, async (trx) => {
    const codes = await replaceRecoveryCodes(trx, userId);
    await recordAudit(trx, {
      action: 'account.recovery_codes_regenerated',
      workspaceId: null,
      actorId: userId,
      actorLabel: user.email,
    });
    return codes;
  });
}

export async function unusedRecoveryCodeCount(userId: string): Promise<number> {
  return withSystem(userId, async (trx) => {
    const row = await trx
      .selectFrom('recoveryCodes')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('userId', '=', userId)
      .where('usedAt', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  });
}

async function replaceRecoveryCodes(trx: Trx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = randomBytes(8).toString('hex').slice(0, 10);
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await trx.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
  await trx
    .insertInto('recoveryCodes')
    .values(codes.map((code) => ({ userId, codeHash: hashToken(code.replace('-', '')) })))
    .execute();
  return codes;
}

// Between the password and the code: a short-lived signed cookie naming who is half-way in.
const pendingSchema = z.object({ userId: z.uuid(), redirectTo: z.string(), expires: z.number() });
const pendingCookie = () =>
  singleton('two-factor-cookie', () => {
    const env = getEnv();
    return createCookie('workroom_2fa', {
      httpOnly: true,
      secure: env.isProduction,
      sameSite: 'lax',
      path: '/',
      maxAge: 600,
      secrets: env.sessionSecrets,
    });
  });

export function beginSecondFactor(userId: string, redirectTo: string): Promise<string> {
  return pendingCookie().serialize({ userId, redirectTo, expires: Date.now() + 600_000 });
}

export async function pendingSecondFactor(
  request: Request,
): Promise<z.infer<typeof pendingSchema> | null> {
  const parsed = pendingSchema.safeParse(
    await pendingCookie().parse(request.headers.get('Cookie')),
  );
  return parsed.success && parsed.data.expires > Date.now() ? parsed.data : null;
}

export function clearSecondFactor(): Promise<string> {
  return pendingCookie().serialize('', { maxAge: 0 });
}

/**
 * The second step of sign-in: a code from the app (each code works once) or an unused
 * recovery code. Returns the session cookie, or null.
 */
export async function completeSecondFactor(userId: string, code: string): Promise<string | null> {
  return withSystem(userId, async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['totpSecret', 'totpEnabledAt', 'totpLastStep', 'email'])
      .where('id', '=', userId)
      .where('deletedAt', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!user?.totpSecret || !user.totpEnabledAt) return null;
    const step = acceptedStep(user.totpSecret, code);
    if (step !== null && (user.totpLastStep === null || step > Number(user.totpLastStep))) {
      await trx
        .updateTable('users')
        .set({ totpLastStep: String(step) })
        .where('id', '=', userId)
        .execute();
    } else {
      const used = await trx
        .updateTable('recoveryCodes')
        .set({ usedAt: new Date() })
        .where('userId', '=', userId)
        .where('codeHash', '=', hashToken(code))
        .where('usedAt', 'is', null)
        .returning('userId')
        .executeTakeFirst();
      if (!used) {
        await recordAudit(trx, {
          action: 'account.sign_in_failed',
          workspaceId: null,
          actorId: userId,
          actorLabel: user.email,
          changes: { step: 'two_factor' },
        });
        return null;
      }
      await recordAudit(trx, {
        action: 'account.recovery_code_used',
        workspaceId: null,
        actorId: userId,
        actorLabel: user.email,
      });
    }
    await recordAudit(trx, {
      action: 'account.signed_in',
      workspaceId: null,
      actorId: userId,
      actorLabel: user.email,
      changes: { twoFactor: true },
    });
    return startSession(trx, userId);
  });
}
