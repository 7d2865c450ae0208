import { sql, type Kysely } from 'kysely';

/**
 * The nightly purge of tasks 30 days in the trash finds them across workspaces as the
 * maintenance role (ids, workspaces and when they were deleted, nothing else), then deletes
 * each workspace's inside that workspace, as the app role under its policies.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create policy purge on tasks for select to workroom_maintenance
      using (deleted_at is not null);
  `.execute(db);
}
