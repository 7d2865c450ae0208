import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { hashPassword } from '../../app/modules/accounts/passwords.server';
import { startSession } from '../../app/modules/accounts/session.server';
import { createWorkspace } from '../../app/modules/workspaces/workspaces.server';
import { withSystem, withWorkspace } from '../../app/platform/db/database.server';
import type { WorkspaceRole } from '../../app/platform/db/schema';
import { testDatabase } from './database-per-file';

export const TEST_PASSWORD = 'correct horse battery';
const unique = () => randomBytes(4).toString('hex');
let passwordHash: Promise<string> | undefined;

export type TestUser = { id: string; email: string; name: string };
export type TestWorkspace = { id: string; slug: string; name: string; owner: TestUser };

/** A verified person with the password TEST_PASSWORD, unless told otherwise. */
export async function createUser(
  overrides: { email?: string; name?: string; verified?: boolean; locale?: 'en' | 'es' } = {},
): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const email = overrides.email ?? `person-${unique()}@example.test`;
  const name = overrides.name ?? `Person ${unique()}`;
  const row = await withSystem(null, async (trx) =>
    trx
      .insertInto('users')
      .values({
        email,
        name,
        passwordHash: await passwordHash!,
        locale: overrides.locale ?? 'en',
        emailVerifiedAt: overrides.verified === false ? null : new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return { id: row.id, email, name };
}

/** A workspace owned by a new (or the given) person. */
export async function createTestWorkspace(
  owner?: TestUser,
  name = `Workspace ${unique()}`,
): Promise<TestWorkspace> {
  const person = owner ?? (await createUser());
  const slug = `ws-${unique()}`;
  const created = await createWorkspace(person.id, { name, slug });
  if (!created.ok) throw new Error('slug clash in test factory');
  const id = await withSystem(
    person.id,
    async (trx) =>
      (
        await trx
          .selectFrom('workspaces')
          .select('id')
          .where('slug', '=', slug)
          .executeTakeFirstOrThrow()
      ).id,
  );
  return { id, slug, name, owner: person };
}

/** Adds someone to a workspace with a role, as its owner would (no invitation round-trip). */
export async function addMember(
  workspace: TestWorkspace,
  role: WorkspaceRole,
  person?: TestUser,
): Promise<TestUser> {
  const user = person ?? (await createUser());
  await withWorkspace({ userId: workspace.owner.id, workspaceId: workspace.id }, (trx) =>
    trx
      .insertInto('memberships')
      .values({ workspaceId: workspace.id, userId: user.id, role })
      .execute(),
  );
  return user;
}

/** A signed-in request for loaders and actions: the session cookie of a real session row. */
export async function signedInCookie(user: TestUser): Promise<string> {
  const setCookie = await withSystem(user.id, (trx) => startSession(trx, user.id));
  return setCookie.split(';')[0]!;
}

/**
 * The database as a superuser sees it, RLS bypassed: for a test to check what really is in a
 * table, never for the code under test.
 */
export function ownerSql() {
  return postgres(testDatabase.adminUrl, { max: 1, onnotice: () => {} });
}

/** The load context a loader gets from the HTTP server. */
export function loadContext() {
  return {
    requestId: 'test',
    locale: 'en' as const,
    timeZone: 'UTC',
    memo: new Map<string, Promise<unknown>>(),
  };
}

/** A request from a browser signed in with this cookie (or none). */
export function browserRequest(path: string, cookie?: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (cookie) headers.set('Cookie', cookie);
  return new Request(`http://localhost${path}`, { ...init, headers });
}
