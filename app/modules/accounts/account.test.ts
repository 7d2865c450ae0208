import * as OTPAuth from 'otpauth';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addMember,
  browserRequest,
  createTestWorkspace,
  createUser,
  loadContext,
  ownerSql,
  signedInCookie,
  TEST_PASSWORD,
} from '../../../tests/support/factories';
import { inboxForThisFile, linkIn } from '../../../tests/support/jobs';
import { transferOwnership } from '../workspaces/members.server';
import {
  changePassword,
  confirmEmailChange,
  listSessions,
  requestEmailChange,
  revokeSession,
  signOutOtherSessions,
} from './account-settings.server';
import { deleteAccount } from './delete-account.server';
import { signIn } from './identity.server';
import { collectPersonalData } from './personal-data.server';
import { getCurrentSession, sessionIdFromRequest } from './session.server';
import {
  beginTwoFactorSetup,
  completeSecondFactor,
  confirmTwoFactorSetup,
  disableTwoFactor,
  getTwoFactorState,
} from './two-factor.server';
import '../registry.server';

const inbox = inboxForThisFile();
const owner = ownerSql();
afterAll(() => owner.end());

const codeFor = (secret: string, offsetSteps = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });

async function sessionOf(cookie: string) {
  return getCurrentSession(browserRequest('/', cookie), loadContext());
}

describe('two-factor sign-in', () => {
  it('turns on only with a code from the app, then asks for one at sign-in; each code works once', async () => {
    const user = await createUser();
    await beginTwoFactorSetup(user.id);
    const state = await getTwoFactorState(user.id, user.email);
    if (state.state !== 'pending') throw new Error('expected a pending setup');
    expect(state.setup.qrSvg).toMatch(/^<svg/);
    expect(await confirmTwoFactorSetup(user.id, '000000')).toBeNull();
    const codes = await confirmTwoFactorSetup(user.id, codeFor(state.setup.secret));
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);

    expect(await signIn({ email: user.email, password: TEST_PASSWORD })).toEqual({
      kind: 'two_factor',
      userId: user.id,
    });
    const code = codeFor(state.setup.secret, 1);
    expect(await completeSecondFactor(user.id, code)).toMatch(/^workroom_session=/);
    expect(await completeSecondFactor(user.id, code)).toBeNull();
  });

  it('accepts each recovery code once, and turns off only with the password', async () => {
    const user = await createUser();
    await beginTwoFactorSetup(user.id);
    const state = await getTwoFactorState(user.id, user.email);
    if (state.state !== 'pending') throw new Error('expected a pending setup');
    const [recovery] = (await confirmTwoFactorSetup(user.id, codeFor(state.setup.secret)))!;
    const typed = recovery!.replace('-', '');
    expect(await completeSecondFactor(user.id, typed)).toMatch(/^workroom_session=/);
    expect(await completeSecondFactor(user.id, typed)).toBeNull();
    expect(await getTwoFactorState(user.id, user.email)).toEqual({
      state: 'on',
      unusedRecoveryCodes: 9,
    });
    expect(await disableTwoFactor(user.id, 'not my password')).toBe(false);
    expect(await disableTwoFactor(user.id, TEST_PASSWORD)).toBe(true);
    expect(await signIn({ email: user.email, password: TEST_PASSWORD })).toMatchObject({
      kind: 'signed_in',
    });
  });
});

describe('sessions', () => {
  it('lists my devices, signs one out, or all the others', async () => {
    const user = await createUser();
    const here = await signedInCookie(user);
    const phone = await signedInCookie(user);
    const laptop = await signedInCookie(user);
    expect(await listSessions(user.id)).toHaveLength(3);
    const phoneId = (await sessionIdFromRequest(browserRequest('/', phone)))!;
    expect(await revokeSession(user.id, phoneId)).toBe(true);
    expect(await sessionOf(phone)).toBeNull();
    const hereId = (await sessionIdFromRequest(browserRequest('/', here)))!;
    expect(await signOutOtherSessions(user.id, hereId)).toBe(1);
    expect(await sessionOf(laptop)).toBeNull();
    expect(await sessionOf(here)).not.toBeNull();
  });

  it('cannot sign out someone else’s session', async () => {
    const [me, other] = [await createUser(), await createUser()];
    const theirs = (await sessionIdFromRequest(browserRequest('/', await signedInCookie(other))))!;
    expect(await revokeSession(me.id, theirs)).toBe(false);
  });

  it('keeps this device signed in when the password changes, and ends the others', async () => {
    const user = await createUser();
    const here = await signedInCookie(user);
    const elsewhere = await signedInCookie(user);
    const hereId = (await sessionIdFromRequest(browserRequest('/', here)))!;
    expect(await changePassword(user.id, hereId, 'wrong', 'a new passphrase')).toBe(false);
    expect(await changePassword(user.id, hereId, TEST_PASSWORD, 'a new passphrase')).toBe(true);
    expect(await sessionOf(here)).not.toBeNull();
    expect(await sessionOf(elsewhere)).toBeNull();
  });
});

describe('changing the email address', () => {
  it('changes it only when the link sent to the new address is followed, and tells the old one', async () => {
    const user = await createUser();
    expect(await requestEmailChange(user.id, 'wrong', 'new@example.test', 'en')).toBe(false);
    expect(await requestEmailChange(user.id, TEST_PASSWORD, 'new@example.test', 'en')).toBe(true);
    const [mail] = await inbox.mailTo('new@example.test');
    const token = linkIn(mail!.text, '/account/email/').split('/').pop()!;
    const [unchanged] = await owner`select email from users where id = ${user.id}`;
    expect(unchanged!.email).toBe(user.email);
    expect(await confirmEmailChange(user.id, token, 'en')).toBe('changed');
    expect(await confirmEmailChange(user.id, token, 'en')).toBe('invalid');
    const [notice] = await inbox.mailTo(user.email);
    expect(notice!.subject).toBe('Your Workroom email address was changed');
  });

  it('does not hand out an address that has an account', async () => {
    const [user, other] = [await createUser(), await createUser()];
    expect(await requestEmailChange(user.id, TEST_PASSWORD, other.email, 'en')).toBe(true);
    expect((await inbox.mailTo(other.email))[0]!.subject).toBe(
      'You already have a Workroom account',
    );
    expect(
      await owner`select 1 from user_tokens where user_id = ${user.id} and purpose = 'change_email'`,
    ).toHaveLength(0);
  });
});

describe('my data and deleting my account', () => {
  it('exports what is kept about me as one document', async () => {
    const workspace = await createTestWorkspace();
    const data = (await collectPersonalData(workspace.owner.id)) as Record<string, unknown>;
    expect(data).toMatchObject({
      account: { profile: { email: workspace.owner.email, name: workspace.owner.name } },
      workspaces: [{ slug: workspace.slug, role: 'owner' }],
    });
    expect(JSON.stringify(data)).not.toMatch(/password_?hash|totp_?secret/i);
  });

  it('is refused while I am a workspace’s only owner, then removes my personal data and keeps the rest', async () => {
    const workspace = await createTestWorkspace();
    const admin = await addMember(workspace, 'admin');
    const me = workspace.owner;
    const cookie = await signedInCookie(me);
    expect(await deleteAccount(me.id, 'wrong')).toEqual({ kind: 'wrong_password' });
    expect(await deleteAccount(me.id, TEST_PASSWORD)).toEqual({
      kind: 'sole_owner',
      workspaces: [{ name: workspace.name, slug: workspace.slug }],
    });

    expect(await transferOwnership({ userId: me.id, workspaceId: workspace.id }, admin.id)).toBe(
      'done',
    );
    expect(await deleteAccount(me.id, TEST_PASSWORD)).toEqual({ kind: 'deleted' });
    const [row] =
      await owner`select email, name, password_hash, deleted_at is not null as deleted from users where id = ${me.id}`;
    expect(row).toEqual({ email: null, name: null, password_hash: null, deleted: true });
    expect(await owner`select 1 from memberships where user_id = ${me.id}`).toHaveLength(0);
    expect(await sessionOf(cookie)).toBeNull();
    const removal =
      await owner`select changes from audit_events where workspace_id = ${workspace.id} and action = 'member.removed'`;
    expect(removal[0]!.changes).toMatchObject({ reason: 'account_deleted' });
  });
});
