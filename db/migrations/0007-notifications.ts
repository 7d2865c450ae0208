import { sql, type Kysely } from 'kysely';
import { enableRls } from './helpers';

/**
 * In-app notifications, a shared mechanism: a module notifies a person of something (a mention,
 * an assignment) with a title and a link as they read at the time; the header counts the
 * unread ones; a job mails them to people who want mail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column email_notifications boolean not null default true;

    create table notifications (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      user_id uuid not null references users on delete cascade,
      actor_id uuid references users on delete set null,
      -- "task.mentioned", "task.assigned": the module and what happened, a translation key.
      kind text not null check (kind ~ '^[a-z_]+\\.[a-z_]+$'),
      title text not null check (length(title) between 1 and 300),
      excerpt text check (length(excerpt) <= 500),
      -- A path inside the app, never a full URL: nothing else can be linked from here.
      path text not null check (path ~ '^/w/'),
      created_at timestamptz not null default now(),
      read_at timestamptz,
      live_seq bigint not null default nextval('live_seq')
    );
    create index notifications_inbox on notifications (user_id, workspace_id, created_at desc);
    create index notifications_unread on notifications (user_id, workspace_id) where read_at is null;
  `.execute(db);
  // Anyone may notify a member of their workspace; only the recipient reads or marks them.
  await enableRls(db, 'notifications', {
    using: 'workspace_id = app_workspace_id() and user_id = app_user_id()',
    check: 'workspace_id = app_workspace_id()',
  });
}
