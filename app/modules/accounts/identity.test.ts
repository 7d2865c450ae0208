import { afterAll, describe, expect, it } from 'vitest';
import {
  browserRequest,
  createUser,
  loadContext,
  ownerSql,
  TEST_PASSWORD,
} from '../../../tests/support/factories';
import { inboxForThisFile, linkIn } from '../../../tests/support/jobs';
import {
  requestPasswordReset,
  resendVerification,
  resetPassword,
  signIn,
  signUp,
  verifyEmail,
} from './identity.server';
import { getCurrentSession, safeRedirectPath } from './session.server';
import { signUpSchema } from './schema';

const inbox = inboxForThisFile();
const owner = ownerSql();
afterAll(() => owner.end());

const mailTo = inbox.mailTo;

const cookieFrom = (setCookie: string) => setCookie.split(';')[0]!;

describe('signing up', () => {
  it('sends a link that verifies the address and signs the person in, once', async () => {
    await signUp(
      { name: 'Ana Ruiz', email: 'ana@example.test', password: 'a long passphrase' },
      'es',
    );
    const [mail] = await mailTo('ana@example.test');
    expect(mail!.subject).toBe('Confirma tu correo electrónico para Workroom');
    const token = linkIn(mail!.text, '/verify-email/').split('/').pop()!;
    const verified = await verifyEmail(token);
    expect(verified).not.toBeNull();
    const session = await getCurrentSession(
      browserRequest('/', cookieFrom(verified!.setCookie)),
      loadContext(),
    );
    expect(session?.user).toMatchObject({
      email: 'ana@example.test',
      name: 'Ana Ruiz',
      emailVerified: true,
      locale: 'es',
    });
    expect(await verifyEmail(token)).toBeNull();
  });

  it('answers the same for a taken address, and tells its owner instead of creating anything', async () => {
    const existing = await createUser({ email: 'taken@example.test' });
    await expect(
      signUp(
        { name: 'Intruder', email: 'taken@example.test', password: 'another passphrase' },
        'en',
      ),
    ).resolves.toBeUndefined();
    const [mail] = await mailTo('taken@example.test');
    expect(mail!.subject).toBe('You already have a Workroom account');
    expect(mail!.text).toContain(existing.name);
    const users = await owner`select name from users where email = 'taken@example.test'`;
    expect(users).toEqual([{ name: existing.name }]);
  });

  it('lets a later sign-up for a never-verified address replace the earlier one, and retires its link', async () => {
    await signUp(
      { name: 'First Try', email: 'twice@example.test', password: 'first passphrase' },
      'en',
    );
    const [first] = await mailTo('twice@example.test');
    await signUp(
      { name: 'Second Try', email: 'twice@example.test', password: 'second passphrase' },
      'en',
    );
    const mails = await mailTo('twice@example.test');
    expect(mails).toHaveLength(2);
    expect(await verifyEmail(linkIn(first!.text, '/verify-email/').split('/').pop()!)).toBeNull();
    expect(
      await verifyEmail(linkIn(mails[0]!.text, '/verify-email/').split('/').pop()!),
    ).not.toBeNull();
    expect(
      (await signIn({ email: 'twice@example.test', password: 'second passphrase' })).kind,
    ).toBe('signed_in');
  });

  it('sends another link on request, saying nothing about unknown addresses', async () => {
    await createUser({ email: 'pending@example.test', verified: false });
    await resendVerification('pending@example.test', 'en');
    await resendVerification('nobody@example.test', 'en');
    expect(await mailTo('pending@example.test')).toHaveLength(1);
    expect(await mailTo('nobody@example.test')).toHaveLength(0);
  });

  it('refuses short and common passwords', () => {
    const attempt = (password: string) =>
      signUpSchema.safeParse({ name: 'A', email: 'a@example.test', password });
    expect(attempt('short').error?.issues[0]?.message).toBe('accounts:validation.passwordTooShort');
    expect(attempt('1234567890').error?.issues[0]?.message).toBe(
      'accounts:validation.passwordCommon',
    );
    expect(attempt('qwertyuiop').error?.issues[0]?.message).toBe(
      'accounts:validation.passwordCommon',
    );
    expect(attempt('tangerine river oak').success).toBe(true);
  });
});

describe('an address nobody has verified', () => {
  it('signs nobody in, so a squatter cannot keep a way into the account its owner later takes', async () => {
    await signUp(
      { name: 'Squatter', email: 'owner-to-be@example.test', password: 'squatter passphrase' },
      'en',
    );
    await mailTo('owner-to-be@example.test');
    expect(
      await signIn({ email: 'owner-to-be@example.test', password: 'squatter passphrase' }),
    ).toEqual({ kind: 'unverified' });

    // The real owner signs up too, and follows the newest link.
    await signUp(
      { name: 'Real Owner', email: 'owner-to-be@example.test', password: 'owner passphrase' },
      'en',
    );
    const [mail] = await mailTo('owner-to-be@example.test');
    expect(
      await verifyEmail(linkIn(mail!.text, '/verify-email/').split('/').pop()!),
    ).not.toBeNull();
    expect(
      await signIn({ email: 'owner-to-be@example.test', password: 'squatter passphrase' }),
    ).toEqual({ kind: 'invalid' });
    expect(
      (await signIn({ email: 'owner-to-be@example.test', password: 'owner passphrase' })).kind,
    ).toBe('signed_in');
    const [row] = await owner`select name from users where email = 'owner-to-be@example.test'`;
    expect(row!.name).toBe('Real Owner');
  });
});

describe('signing in', () => {
  it('starts a session with the right password', async () => {
    const user = await createUser();
    const result = await signIn({ email: user.email, password: TEST_PASSWORD });
    expect(result.kind).toBe('signed_in');
    const session = await getCurrentSession(
      browserRequest('/', cookieFrom((result as { setCookie: string }).setCookie)),
      loadContext(),
    );
    expect(session?.user.id).toBe(user.id);
  });

  it('refuses a wrong password and an unknown address alike, and records both', async () => {
    const user = await createUser();
    expect(await signIn({ email: user.email, password: 'wrong password' })).toEqual({
      kind: 'invalid',
    });
    expect(await signIn({ email: 'ghost@example.test', password: 'wrong password' })).toEqual({
      kind: 'invalid',
    });
    const failures =
      await owner`select actor_id, actor_label from audit_events where action = 'account.sign_in_failed' and actor_label in (${user.email}, 'ghost@example.test') order by id`;
    expect(failures).toEqual([
      { actor_id: user.id, actor_label: user.email },
      { actor_id: null, actor_label: 'ghost@example.test' },
    ]);
  });

  it('ignores a cookie that is forged, unsigned or for an expired session', async () => {
    const user = await createUser();
    const result = (await signIn({ email: user.email, password: TEST_PASSWORD })) as {
      setCookie: string;
    };
    const cookie = cookieFrom(result.setCookie);
    expect(
      await getCurrentSession(
        browserRequest(
          '/',
          cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        ),
        loadContext(),
      ),
    ).toBeNull();
    expect(
      await getCurrentSession(
        browserRequest('/', 'workroom_session=made-up-token-of-sufficient-length'),
        loadContext(),
      ),
    ).toBeNull();
    await owner`update sessions set expires_at = now() - interval '1 second' where user_id = ${user.id}`;
    expect(await getCurrentSession(browserRequest('/', cookie), loadContext())).toBeNull();
  });

  it('slides the session’s expiry forward as it is used', async () => {
    const user = await createUser();
    const result = (await signIn({ email: user.email, password: TEST_PASSWORD })) as {
      setCookie: string;
    };
    await owner`update sessions set last_seen_at = now() - interval '1 hour', expires_at = now() + interval '1 day' where user_id = ${user.id}`;
    const session = await getCurrentSession(
      browserRequest('/', cookieFrom(result.setCookie)),
      loadContext(),
    );
    expect(session?.refreshedCookie).toMatch(/^workroom_session=/);
    const [row] =
      await owner`select expires_at > now() + interval '29 days' as slid from sessions where user_id = ${user.id}`;
    expect(row!.slid).toBe(true);
  });

  it('only redirects to paths on this site after signing in', () => {
    expect(safeRedirectPath('/w/acme?tab=1#x')).toBe('/w/acme?tab=1#x');
    expect(safeRedirectPath('//evil.test/x')).toBe('/');
    expect(safeRedirectPath('https://evil.test/')).toBe('/');
    expect(safeRedirectPath('/\\evil.test')).toBe('/');
    expect(safeRedirectPath('javascript:alert(1)')).toBe('/');
    for (const sneaky of [
      '/.//evil.test',
      '/..//evil.test',
      '/%2e//evil.test',
      '/./\\evil.test',
      '/\t/evil.test',
    ]) {
      expect(safeRedirectPath(sneaky), sneaky).toBe('/');
    }
    expect(safeRedirectPath(undefined, '/home')).toBe('/home');
  });
});

describe('resetting a forgotten password', () => {
  it('mails a one-hour, single-use link; the new password works and every session ends', async () => {
    const user = await createUser();
    const before = (await signIn({ email: user.email, password: TEST_PASSWORD })) as {
      setCookie: string;
    };
    await requestPasswordReset(user.email, 'en');
    const [mail] = await mailTo(user.email);
    expect(mail!.subject).toBe('Reset your Workroom password');
    const token = linkIn(mail!.text, '/reset-password/').split('/').pop()!;
    const [stored] =
      await owner`select expires_at - created_at as lifetime, token_hash <> ${token} as hashed from user_tokens where user_id = ${user.id}`;
    expect(stored).toMatchObject({ lifetime: '01:00:00', hashed: true });
    expect(await resetPassword(token, 'a brand new passphrase')).toBe(true);
    expect(await resetPassword(token, 'yet another passphrase')).toBe(false);
    expect(
      await getCurrentSession(browserRequest('/', cookieFrom(before.setCookie)), loadContext()),
    ).toBeNull();
    expect((await signIn({ email: user.email, password: 'a brand new passphrase' })).kind).toBe(
      'signed_in',
    );
    expect((await signIn({ email: user.email, password: TEST_PASSWORD })).kind).toBe('invalid');
  });

  it('sends nothing for an unknown address, and refuses an expired link', async () => {
    await requestPasswordReset('unknown@example.test', 'en');
    expect(await mailTo('unknown@example.test')).toHaveLength(0);
    const user = await createUser();
    await requestPasswordReset(user.email, 'en');
    const [mail] = await mailTo(user.email);
    await owner`update user_tokens set expires_at = now() - interval '1 second' where user_id = ${user.id}`;
    expect(
      await resetPassword(
        linkIn(mail!.text, '/reset-password/').split('/').pop()!,
        'a brand new passphrase',
      ),
    ).toBe(false);
  });
});
