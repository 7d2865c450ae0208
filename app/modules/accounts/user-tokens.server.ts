import { sql } from 'kysely';
import type { Trx } from '~/platform/db/database.server';
import type { UserTokenPurpose } from '~/platform/db/schema';
import { hashToken, randomToken } from '~/platform/tokens.server';

export const tokenLifetimes: Record<UserTokenPurpose, number> = {
  verify_email: 24 * 60 * 60,
  reset_password: 60 * 60,
  change_email: 24 * 60 * 60,
};

/**
 * A single-use link token for mail. Only its hash is stored; issuing one retires the person's
 * earlier unused tokens of the same purpose, so only the newest link works.
 */
export async function issueUserToken(
  trx: Trx,
  userId: string,
  purpose: UserTokenPurpose,
  newEmail: string | null = null,
): Promise<string> {
  const token = randomToken();
  await trx
    .deleteFrom('userTokens')
    .where('userId', '=', userId)
    .where('purpose', '=', purpose)
    .where('usedAt', 'is', null)
    .execute();
  await trx
    .insertInto('userTokens')
    .values({
      tokenHash: hashToken(token),
      userId,
      purpose,
      newEmail,
      expiresAt: sql<Date>`now() + make_interval(secs => ${tokenLifetimes[purpose]})`,
    })
    .execute();
  return token;
}

/** The token's row if it is valid now (unexpired, unused), without using it up. */
export async function findUserToken(trx: Trx, token: string, purpose: UserTokenPurpose) {
  if (!token || token.length > 100) return undefined;
  return trx
    .selectFrom('userTokens')
    .select(['userId', 'newEmail', 'tokenHash'])
    .where('tokenHash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', new Date())
    .executeTakeFirst();
}

/** Uses the token up; undefined when it was not valid (or another request used it first). */
export async function consumeUserToken(trx: Trx, token: string, purpose: UserTokenPurpose) {
  if (!token || token.length > 100) return undefined;
  return trx
    .updateTable('userTokens')
    .set({ usedAt: new Date() })
    .where('tokenHash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', new Date())
    .returning(['userId', 'newEmail'])
    .executeTakeFirst();
}
