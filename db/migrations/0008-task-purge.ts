import { sql, type Kysely } from 'kysely';

/**
 * The nightly purge of tasks 30 days in the trash finds them across workspaces as the
 * maintenance role, through the columns 0006 granted it for reminders (ids, workspace,
 * assignee and dates, never titles or text), then deletes each workspace's inside that
 * workspace, as the app role under its policies. Policies add up: the reminder job, which
 * reads through the same role, filters open tasks itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create policy purge on tasks for select to workroom_maintenance
      using (deleted_at is not null);
  `.execute(db);
}
