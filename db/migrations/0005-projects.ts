import { sql, type Kysely } from 'kysely';
import { enableRls } from './helpers';

/**
 * Projects: the container for tasks (issue 6), files and, later, documents. A project has a
 * short key (ACME) that task keys build on (ACME-42), members with a project role, and a
 * soft delete with the usual 30 days in the trash.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create type project_status as enum ('active', 'on_hold', 'done', 'archived');
    create type project_role as enum ('lead', 'member', 'viewer');

    create table projects (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      key text not null check (key ~ '^[A-Z][A-Z0-9]{1,9}$'),
      name text not null check (length(name) between 1 and 120),
      description text not null default '' check (length(description) <= 20000),
      status project_status not null default 'active',
      lead_id uuid references users on delete set null,
      division_id uuid references divisions on delete set null,
      start_date date,
      target_date date,
      created_by uuid references users on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz,
      deleted_by uuid references users on delete set null,
      -- A deleted project keeps its key: links to its tasks must never point elsewhere.
      unique (workspace_id, key),
      check (target_date is null or start_date is null or target_date >= start_date)
    );
    create index projects_listing on projects (workspace_id, status, name) where deleted_at is null;
    create trigger projects_updated_at before update on projects for each row execute function touch_updated_at();

    create table project_members (
      workspace_id uuid not null references workspaces on delete cascade,
      project_id uuid not null references projects on delete cascade,
      user_id uuid not null references users on delete cascade,
      role project_role not null default 'member',
      added_by uuid references users on delete set null,
      created_at timestamptz not null default now(),
      primary key (project_id, user_id)
    );
    create index project_members_user on project_members (workspace_id, user_id);
  `.execute(db);
  await enableRls(db, 'projects');
  await enableRls(db, 'project_members');
  await sql`
    -- The purge of the trash finds deleted projects across workspaces (ids and dates only),
    -- then removes each inside its own workspace.
    create policy housekeeping on projects for select to workroom_maintenance using (deleted_at is not null);
    grant select (id, workspace_id, deleted_at) on projects to workroom_maintenance;
  `.execute(db);
}
