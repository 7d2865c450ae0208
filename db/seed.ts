import { sql } from 'kysely';
import { hashPassword } from '~/modules/accounts/passwords.server';
import { seedDemoChat } from '~/modules/chat/demo-chat.server';
import { seedDemoFiles } from '~/modules/files/demo-files.server';
import { seedDemoProjects } from '~/modules/projects/demo-projects.server';
import { seedDemoTasks } from '~/modules/tasks/demo-tasks.server';
import { recordAudit } from '~/modules/audit/record.server';
import {
  createDivision,
  listDivisions,
  setMemberDivisions,
} from '~/modules/workspaces/divisions.server';
import { createWorkspace } from '~/modules/workspaces/workspaces.server';
import { withSystem, withWorkspace } from '~/platform/db/database.server';
import type { WorkspaceRole } from '~/platform/db/schema';
import { hashToken, randomToken } from '~/platform/tokens.server';

export const DEMO_PASSWORD = 'workroom-demo';

type DemoUser = { email: string; name: string; locale: 'en' | 'es'; timeZone: string };

const acmeUsers: Array<DemoUser & { role: WorkspaceRole; divisions: string[] }> = [
  {
    email: 'owner@acme.test',
    name: 'Olivia Owens',
    locale: 'en',
    timeZone: 'Europe/London',
    role: 'owner',
    divisions: ['Operations'],
  },
  {
    email: 'admin@acme.test',
    name: 'Adam Alvarez',
    locale: 'es',
    timeZone: 'Europe/Madrid',
    role: 'admin',
    divisions: ['Operations'],
  },
  {
    email: 'manager@acme.test',
    name: 'Maya Müller',
    locale: 'en',
    timeZone: 'Europe/Berlin',
    role: 'manager',
    divisions: ['Marketing'],
  },
  {
    email: 'member@acme.test',
    name: 'Marco Rossi',
    locale: 'en',
    timeZone: 'America/New_York',
    role: 'member',
    divisions: ['Marketing', 'Operations'],
  },
  {
    email: 'guest@acme.test',
    name: 'Grace Guo',
    locale: 'en',
    timeZone: 'Asia/Singapore',
    role: 'guest',
    divisions: [],
  },
];
const globexOwner: DemoUser = {
  email: 'owner@globex.test',
  name: 'Gustavo Fring',
  locale: 'es',
  timeZone: 'America/Mexico_City',
};

/**
 * The demo a newcomer signs in to: Acme (five people, one per role, two divisions, a pending
 * invitation, projects, shared files) and Globex (its owner alone). Runs only on an empty database; later modules add
 * their own believable data here. Returns whether it seeded.
 */
export async function seedDemo(): Promise<boolean> {
  const empty = await withSystem(
    null,
    async (trx) => !(await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()),
  );
  if (!empty) return false;
  // One hash for every demo account: they share the password, and argon2 is slow on purpose.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = new Map<string, string>();
  await withSystem(null, async (trx) => {
    for (const user of [...acmeUsers, globexOwner]) {
      const created = await trx
        .insertInto('users')
        .values({
          email: user.email,
          name: user.name,
          passwordHash,
          locale: user.locale,
          timeZone: user.timeZone,
          emailVerifiedAt: sql<Date>`now() - interval '40 days'`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(user.email, created.id);
    }
  });

  const ownerId = ids.get('owner@acme.test')!;
  const acme = await createWorkspace(ownerId, { name: 'Acme', slug: 'acme' });
  await createWorkspace(ids.get(globexOwner.email)!, { name: 'Globex', slug: 'globex' });
  if (!acme.ok) throw new Error('The demo workspace could not be created');
  const workspaceId = await withSystem(
    ownerId,
    async (trx) =>
      (
        await trx
          .selectFrom('workspaces')
          .select('id')
          .where('slug', '=', 'acme')
          .executeTakeFirstOrThrow()
      ).id,
  );
  const ctx = { userId: ownerId, workspaceId };

  await withWorkspace(ctx, async (trx) => {
    // The demo looks lived-in: the workspace and its owner arrived before everyone else.
    await trx
      .updateTable('workspaces')
      .set({ createdAt: sql<Date>`now() - interval '40 days'` })
      .where('id', '=', workspaceId)
      .execute();
    await trx
      .updateTable('memberships')
      .set({ createdAt: sql<Date>`now() - interval '40 days'` })
      .where('userId', '=', ownerId)
      .execute();
    for (const user of acmeUsers.filter((user) => user.role !== 'owner')) {
      const userId = ids.get(user.email)!;
      await trx
        .insertInto('memberships')
        .values({
          workspaceId,
          userId,
          role: user.role,
          createdAt: sql<Date>`now() - interval '30 days'`,
        })
        .execute();
      await recordAudit(trx, {
        action: 'member.joined',
        workspaceId,
        actorId: userId,
        actorLabel: user.email,
        changes: { role: user.role },
      });
    }
    await trx
      .insertInto('invitations')
      .values({
        workspaceId,
        email: 'new.hire@acme.test',
        role: 'member',
        tokenHash: hashToken(randomToken()),
        invitedBy: ownerId,
        expiresAt: sql<Date>`now() + interval '5 days'`,
      })
      .execute();
  });
  for (const name of ['Operations', 'Marketing']) await createDivision(ctx, name);
  const divisions = new Map(
    (await listDivisions(ctx)).map((division) => [division.name, division.id]),
  );
  for (const user of acmeUsers.filter((user) => user.divisions.length > 0)) {
    await setMemberDivisions(
      ctx,
      ids.get(user.email)!,
      user.divisions.map((name) => divisions.get(name)!),
    );
  }
  const uploader = (email: string) => {
    const user = acmeUsers.find((candidate) => candidate.email === email)!;
    return { userId: ids.get(email)!, role: user.role };
  };
  const projects = await seedDemoProjects(
    workspaceId,
    {
      owner: uploader('owner@acme.test'),
      manager: uploader('manager@acme.test'),
      member: uploader('member@acme.test'),
      guest: uploader('guest@acme.test'),
    },
    divisions,
  );
  await seedDemoFiles(
    workspaceId,
    {
      owner: uploader('owner@acme.test'),
      manager: uploader('manager@acme.test'),
      member: uploader('member@acme.test'),
    },
    projects.get('SPRING'),
  );
  await seedDemoTasks(workspaceId, 'acme', {
    owner: uploader('owner@acme.test'),
    manager: uploader('manager@acme.test'),
    member: uploader('member@acme.test'),
    guest: uploader('guest@acme.test'),
  });
  await seedDemoChat(
    workspaceId,
    'acme',
    {
      owner: uploader('owner@acme.test'),
      admin: uploader('admin@acme.test'),
      manager: uploader('manager@acme.test'),
      member: uploader('member@acme.test'),
      guest: uploader('guest@acme.test'),
    },
    projects.get('SPRING'),
  );
  return true;
}
