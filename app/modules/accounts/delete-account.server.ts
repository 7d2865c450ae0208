import { leaveAllWorkspaces, soleOwnerWorkspaces } from '~/modules/workspaces/members.server';
import { recordAudit } from '~/modules/audit/record.server';
import { withSystem } from '~/platform/db/database.server';
import { verifyPassword } from './passwords.server';

export type DeleteAccountResult =
  | { kind: 'deleted' }
  | { kind: 'wrong_password' }
  | { kind: 'sole_owner'; workspaces: Array<{ name: string; slug: string }> };

export async function workspacesBlockingDeletion(userId: string) {
  return withSystem(userId, (trx) => soleOwnerWorkspaces(trx, userId));
}

/**
 * Deletes an account: personal data goes (name, email, password, 2FA, sessions, tokens,
 * memberships); what the person wrote stays, attributed to "Deleted user" (the row remains
 * as an anonymous id). Refused while they are some workspace's only owner.
 */
export async function deleteAccount(
  userId: string,
  password: string,
): Promise<DeleteAccountResult> {
  const user = await withSystem(userId, (trx) =>
    trx
      .selectFrom('users')
      .select(['passwordHash', 'email'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
  );
  if (!(await verifyPassword(password, user.passwordHash))) return { kind: 'wrong_password' };
  return withSystem(userId, async (trx) => {
    const blocking = await soleOwnerWorkspaces(trx, userId);
    if (blocking.length > 0) return { kind: 'sole_owner', workspaces: blocking } as const;
    await leaveAllWorkspaces(trx, userId);
    await trx.deleteFrom('sessions').where('userId', '=', userId).execute();
    await trx.deleteFrom('userTokens').where('userId', '=', userId).execute();
    await trx.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
    await trx
      .updateTable('users')
      .set({
        email: null,
        name: null,
        passwordHash: null,
        totpSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        locale: null,
        deletedAt: new Date(),
      })
      .where('id', '=', userId)
      .execute();
    await recordAudit(trx, { action: 'account.deleted', workspaceId: null, actorId: userId });
    return { kind: 'deleted' } as const;
  });
}
