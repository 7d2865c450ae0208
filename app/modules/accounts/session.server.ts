import { createCookie, redirect, type AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { myMembershipsIn, type MyMembership } from '~/modules/workspaces/memberships.server';
import { withSystem, type Trx } from '~/platform/db/database.server';
import { getEnv } from '~/platform/env.server';
import { memoize } from '~/platform/load-context';
import { currentRequestContext } from '~/platform/request-context.server';
import { singleton } from '~/platform/singleton.server';
import { hashToken, randomToken } from '~/platform/tokens.server';

export const SESSION_DAYS = 30;
/** How stale last_seen_at may get before a request refreshes it (and slides the expiry). */
const TOUCH_AFTER_MS = 5 * 60 * 1000;

export type CurrentUser = {
  id: string;
  email: string;
  name: string;
  locale: 'en' | 'es' | null;
  timeZone: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
};

export type CurrentSession = {
  id: string;
  user: CurrentUser;
  /** Where they may go: loaded with the session, so a page needs no second query for it. */
  memberships: MyMembership[];
  refreshedCookie: string | null;
};

const sessionCookie = () =>
  singleton('session-cookie', () => {
    const env = getEnv();
    // __Host- pins the cookie to this origin over HTTPS; plain HTTP in development cannot use it.
    return createCookie(env.isProduction ? '__Host-workroom_session' : 'workroom_session', {
      httpOnly: true,
      secure: env.isProduction,
      sameSite: 'lax', // CSRF: with Lax and no mutating GETs, cross-site posts carry no cookie
      path: '/',
      maxAge: SESSION_DAYS * 24 * 60 * 60,
      secrets: env.sessionSecrets,
    });
  });

/** Starts a new session (a new id on every sign-in) and returns its Set-Cookie header. */
export async function startSession(trx: Trx, userId: string): Promise<string> {
  const token = randomToken();
  const request = currentRequestContext();
  await trx
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      userId,
      expiresAt: sql<Date>`now() + make_interval(days => ${SESSION_DAYS})`,
      ip: request?.ip ?? null,
      userAgent: request?.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
  return sessionCookie().serialize(token);
}

export async function sessionIdFromRequest(request: Request): Promise<string | null> {
  const token: unknown = await sessionCookie().parse(request.headers.get('Cookie'));
  return typeof token === 'string' && token.length > 20 ? hashToken(token) : null;
}

export function clearSessionCookie(): Promise<string> {
  return sessionCookie().serialize('', { maxAge: 0 });
}

/** Who is signed in, looked up once per request however many loaders ask. */
export function getCurrentSession(
  request: Request,
  context: AppLoadContext,
): Promise<CurrentSession | null> {
  return memoize(context, 'session', () => lookUpSession(request));
}

async function lookUpSession(request: Request): Promise<CurrentSession | null> {
  const id = await sessionIdFromRequest(request);
  if (!id) return null;
  return withSystem(null, async (trx) => {
    const row = await trx
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.userId')
      .select([
        'sessions.id',
        'sessions.lastSeenAt',
        'users.id as userId',
        'users.email',
        'users.name',
        'users.locale',
        'users.timeZone',
        'users.emailVerifiedAt',
        'users.totpEnabledAt',
        // The person becomes the transaction's acting user as their row is read, so the
        // memberships query that follows sees their rows without another round trip.
        sql<string>`set_config('app.user_id', users.id::text, true)`.as('actingUser'),
      ])
      .where('sessions.id', '=', id)
      .where('sessions.expiresAt', '>', new Date())
      .where('users.deletedAt', 'is', null)
      .executeTakeFirst();
    if (!row || !row.email || !row.name) return null;
    const memberships = await myMembershipsIn(trx, row.userId);

    let refreshedCookie: string | null = null;
    if (Date.now() - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      const context = currentRequestContext();
      await trx
        .updateTable('sessions')
        .set({
          lastSeenAt: new Date(),
          expiresAt: sql<Date>`now() + make_interval(days => ${SESSION_DAYS})`,
          ip: context?.ip ?? null,
          userAgent: context?.userAgent?.slice(0, 500) ?? null,
        })
        .where('id', '=', id)
        .execute();
      // Sliding expiry: the cookie's own lifetime moves with the row's.
      const token: unknown = await sessionCookie().parse(request.headers.get('Cookie'));
      refreshedCookie = await sessionCookie().serialize(token);
    }
    return {
      id,
      refreshedCookie,
      memberships,
      user: {
        id: row.userId,
        email: row.email,
        name: row.name,
        locale: row.locale === 'en' || row.locale === 'es' ? row.locale : null,
        timeZone: row.timeZone,
        emailVerified: row.emailVerifiedAt !== null,
        twoFactorEnabled: row.totpEnabledAt !== null,
      },
    };
  });
}

/** Signed in, or sent to sign in and brought back here afterwards. */
export async function requireSession(
  request: Request,
  context: AppLoadContext,
): Promise<CurrentSession> {
  const session = await getCurrentSession(request, context);
  if (session) return session;
  const url = new URL(request.url);
  const back = request.method === 'GET' ? `${url.pathname}${url.search}` : url.pathname;
  throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`, 303);
}

export async function requireUser(request: Request, context: AppLoadContext): Promise<CurrentUser> {
  return (await requireSession(request, context)).user;
}

/** Only a path on this site: "/w/acme", never "//evil.test", "https://evil.test" or "/.//evil.test". */
export function safeRedirectPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback;
  try {
    const url = new URL(value, 'http://workroom.invalid');
    const path = `${url.pathname}${url.search}${url.hash}`;
    // The URL parser normalises "/.//x" to "//x", which a browser reads as another host.
    const offSite =
      url.host !== 'workroom.invalid' || path.startsWith('//') || path.startsWith('/\\');
    return offSite ? fallback : path;
  } catch {
    return fallback;
  }
}
