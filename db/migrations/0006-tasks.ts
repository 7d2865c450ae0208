import { sql, type Kysely } from 'kysely';
import { enableRls } from './helpers';

/**
 * Tasks (issue 6): per-project statuses in three categories, tasks numbered per project
 * (ACME-42), workspace labels, checklists, comments, the history of each task, saved views and
 * the ledger that keeps reminder mail from going out twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create type status_category as enum ('todo', 'in_progress', 'done');
    -- In rising order: "order by priority desc" puts urgent first and none last.
    create type task_priority as enum ('none', 'low', 'medium', 'high', 'urgent');
    create type label_colour as enum ('grey', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink');

    -- The last task number handed out in each project: a row lock on the project serialises it.
    alter table projects add column task_seq integer not null default 0;

    create table task_statuses (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      project_id uuid not null references projects on delete cascade,
      -- A default status keeps its preset and no name, so each reader sees it in their own
      -- language ("To do", "Por hacer") until the lead renames it.
      preset text check (preset in ('todo', 'in_progress', 'in_review', 'done')),
      name text check (length(name) between 1 and 40),
      category status_category not null,
      position integer not null,
      created_at timestamptz not null default now(),
      check (name is not null or preset is not null)
    );
    create index task_statuses_project on task_statuses (project_id, position);

    create table tasks (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      project_id uuid not null references projects on delete cascade,
      number integer not null check (number > 0),
      title text not null check (length(title) between 1 and 200),
      description text not null default '' check (length(description) <= 20000),
      status_id uuid not null references task_statuses on delete restrict,
      assignee_id uuid references users on delete set null,
      due_date date,
      priority task_priority not null default 'none',
      created_by uuid references users on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_at timestamptz,
      deleted_at timestamptz,
      deleted_by uuid references users on delete set null,
      live_seq bigint not null default nextval('live_seq'),
      -- 'simple' (no stemming): the workspace writes English and Spanish side by side.
      search tsvector generated always as (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', description), 'B')
      ) stored,
      unique (project_id, number)
    );
    create index tasks_board on tasks (project_id, status_id) where deleted_at is null;
    create index tasks_assignee on tasks (workspace_id, assignee_id, due_date) where deleted_at is null;
    create index tasks_due on tasks (workspace_id, due_date) where deleted_at is null and completed_at is null;
    create index tasks_search on tasks using gin (search);
    create index tasks_live on tasks (project_id, live_seq);
    create trigger tasks_updated_at before update on tasks for each row execute function touch_updated_at();
    create trigger tasks_live_seq before update on tasks for each row execute function bump_live_seq();

    create table labels (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      name text not null check (length(name) between 1 and 40),
      colour label_colour not null default 'grey',
      created_at timestamptz not null default now()
    );
    create unique index labels_name on labels (workspace_id, lower(name));

    create table task_labels (
      workspace_id uuid not null references workspaces on delete cascade,
      task_id uuid not null references tasks on delete cascade,
      label_id uuid not null references labels on delete cascade,
      primary key (task_id, label_id)
    );
    create index task_labels_label on task_labels (label_id);

    create table checklist_items (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      task_id uuid not null references tasks on delete cascade,
      text text not null check (length(text) between 1 and 200),
      done boolean not null default false,
      position integer not null,
      created_at timestamptz not null default now()
    );
    create index checklist_items_task on checklist_items (task_id, position);

    create table task_comments (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      task_id uuid not null references tasks on delete cascade,
      author_id uuid references users on delete set null,
      body text not null check (length(body) between 1 and 10000),
      created_at timestamptz not null default now(),
      live_seq bigint not null default nextval('live_seq')
    );
    create index task_comments_task on task_comments (task_id, created_at);

    -- Who changed what, when: values are kept as they read at the time (a renamed status or a
    -- departed assignee still reads right in old entries).
    create table task_activity (
      id bigint generated always as identity primary key,
      workspace_id uuid not null references workspaces on delete cascade,
      task_id uuid not null references tasks on delete cascade,
      actor_id uuid references users on delete set null,
      field text not null check (field in ('created', 'title', 'status', 'assignee', 'due_date', 'priority', 'description', 'labels', 'deleted', 'restored')),
      from_value text,
      to_value text,
      created_at timestamptz not null default now()
    );
    create index task_activity_task on task_activity (task_id, id);
    create index task_activity_recent on task_activity (workspace_id, created_at);

    create table saved_views (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      user_id uuid not null references users on delete cascade,
      project_id uuid references projects on delete cascade,
      name text not null check (length(name) between 1 and 60),
      query text not null check (length(query) <= 1000),
      created_at timestamptz not null default now()
    );
    create index saved_views_owner on saved_views (user_id, workspace_id);

    -- One row per reminder or digest sent: the job may run any number of times a day.
    create table task_reminders_sent (
      workspace_id uuid not null references workspaces on delete cascade,
      user_id uuid not null references users on delete cascade,
      kind text not null check (kind in ('due_tomorrow', 'overdue_digest')),
      local_day date not null,
      sent_at timestamptz not null default now(),
      primary key (workspace_id, user_id, kind, local_day)
    );
  `.execute(db);
  for (const table of [
    'task_statuses',
    'tasks',
    'labels',
    'task_labels',
    'checklist_items',
    'task_comments',
    'task_reminders_sent',
  ])
    await enableRls(db, table);
  await enableRls(db, 'task_activity', { grants: 'select, insert' });
  // A saved view is its owner's alone.
  await enableRls(db, 'saved_views', {
    using: 'workspace_id = app_workspace_id() and user_id = app_user_id()',
    check: 'workspace_id = app_workspace_id() and user_id = app_user_id()',
  });
  await sql`
    grant usage on sequence live_seq to workroom_app;
    -- The reminder jobs find who has tasks due across workspaces (ids and dates only), then
    -- read and send inside each workspace.
    create policy reminders on tasks for select to workroom_maintenance
      using (deleted_at is null and completed_at is null and due_date is not null and assignee_id is not null);
    grant select (id, workspace_id, assignee_id, due_date, deleted_at, completed_at) on tasks to workroom_maintenance;
  `.execute(db);
}
