import { sql, type Kysely } from 'kysely';
import { enableRls } from './helpers';

/**
 * People, their sessions and tokens (not tenant data: one person spans workspaces), the
 * workspaces themselves, memberships, divisions, invitations, and the audit log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Enums, not check constraints: the generated TypeScript types become unions, and the
    -- role ladder's order (owner highest) is the enum's order.
    create type workspace_role as enum ('owner', 'admin', 'manager', 'member', 'guest');
    create type membership_status as enum ('active', 'deactivated');
    create type user_token_purpose as enum ('verify_email', 'reset_password', 'change_email');
    create type locale as enum ('en', 'es');

    create table users (
      id uuid primary key default gen_random_uuid(),
      email citext unique,
      name text,
      password_hash text,
      email_verified_at timestamptz,
      locale locale,
      time_zone text not null default 'UTC',
      totp_secret text,
      totp_enabled_at timestamptz,
      totp_last_step bigint, -- the last accepted 30-second step: a code works once
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz,
      check (deleted_at is not null or (email is not null and name is not null))
    );
    create trigger users_updated_at before update on users for each row execute function touch_updated_at();
    grant select, insert, update on users to workroom_app;

    create table sessions (
      id text primary key, -- SHA-256 of the cookie's random token: a database leak signs nobody in
      user_id uuid not null references users on delete cascade,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    );
    create index sessions_user on sessions (user_id);
    grant select, insert, update, delete on sessions to workroom_app;

    create table user_tokens (
      token_hash text primary key,
      user_id uuid not null references users on delete cascade,
      purpose user_token_purpose not null,
      new_email citext,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index user_tokens_user on user_tokens (user_id, purpose);
    grant select, insert, update, delete on user_tokens to workroom_app;

    create table recovery_codes (
      user_id uuid not null references users on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      primary key (user_id, code_hash)
    );
    grant select, insert, update, delete on recovery_codes to workroom_app;

    create table rate_limits (
      key varchar(255) primary key,
      points integer not null default 0,
      expire bigint
    );
    grant select, insert, update, delete on rate_limits to workroom_app;

    create table workspaces (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 80),
      slug citext not null unique check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
      brand_color text check (brand_color ~ '^#[0-9a-f]{6}$'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    );
    create trigger workspaces_updated_at before update on workspaces for each row execute function touch_updated_at();

    create table memberships (
      workspace_id uuid not null references workspaces on delete cascade,
      user_id uuid not null references users on delete cascade,
      role workspace_role not null,
      status membership_status not null default 'active',
      created_at timestamptz not null default now(),
      primary key (workspace_id, user_id)
    );
    create index memberships_user on memberships (user_id);
  `.execute(db);

  // Outside any workspace (the switcher, resolving /w/:slug) a person sees their own
  // memberships and the workspaces they belong to; inside one, only that workspace.
  await enableRls(db, 'memberships', {
    using: `workspace_id = app_workspace_id() or (app_workspace_id() is null and user_id = app_user_id())`,
  });
  await sql`
    alter table workspaces enable row level security;
    alter table workspaces force row level security;
    create policy tenant_isolation on workspaces to workroom_app
      using (id = app_workspace_id()
             or (app_workspace_id() is null and id in (select workspace_id from memberships where user_id = app_user_id())))
      with check (id = app_workspace_id());
    grant select, insert, update on workspaces to workroom_app;

    -- The purge finds deleted workspaces across tenants; deleting one cascades to its rows.
    create policy purge on workspaces for all to workroom_maintenance using (deleted_at is not null);
    grant select, delete on workspaces to workroom_maintenance;
    grant select on memberships to workroom_maintenance;
    grant select, delete on users to workroom_maintenance;
  `.execute(db);

  // Never zero owners: whatever the app does, a change that would leave a workspace without an
  // active owner fails (checked at commit, so a transfer may add before it removes).
  await sql`
    create function assert_workspace_has_owner() returns trigger language plpgsql as $f$
    declare
      ws uuid := coalesce(old.workspace_id, new.workspace_id);
      outer_workspace text := current_setting('app.workspace_id', true);
      has_owner boolean;
    begin
      -- Look at that workspace's rows whatever the current context (RLS would hide them).
      perform set_config('app.workspace_id', ws::text, true);
      if exists (select 1 from workspaces where id = ws) then
        -- Two owners stepping down at once: the second waits here for the first to commit,
        -- then sees it, instead of both seeing the other still owner.
        perform 1 from workspaces where id = ws for update;
        has_owner := exists (select 1 from memberships where workspace_id = ws and role = 'owner' and status = 'active');
      else
        has_owner := true; -- the workspace itself is being deleted
      end if;
      perform set_config('app.workspace_id', coalesce(outer_workspace, ''), true);
      if not has_owner then
        raise exception 'a workspace must keep at least one active owner' using errcode = 'check_violation';
      end if;
      return null;
    end $f$;
    create constraint trigger memberships_keep_an_owner after update or delete on memberships
      deferrable initially deferred for each row execute function assert_workspace_has_owner();
  `.execute(db);

  await sql`
    create table divisions (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      name text not null check (length(name) between 1 and 80),
      created_at timestamptz not null default now()
    );
    create unique index divisions_name on divisions (workspace_id, lower(name));

    create table division_members (
      workspace_id uuid not null references workspaces on delete cascade,
      division_id uuid not null references divisions on delete cascade,
      user_id uuid not null references users on delete cascade,
      primary key (division_id, user_id)
    );
    create index division_members_user on division_members (workspace_id, user_id);

    create table invitations (
      id uuid primary key default gen_random_uuid(),
      workspace_id uuid not null references workspaces on delete cascade,
      email citext not null,
      role workspace_role not null check (role <> 'owner'), -- ownership is transferred, not invited
      token_hash text not null unique,
      invited_by uuid references users on delete set null,
      created_at timestamptz not null default now(),
      last_sent_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references users on delete set null,
      revoked_at timestamptz
    );
    create unique index invitations_pending on invitations (workspace_id, email)
      where accepted_at is null and revoked_at is null;
  `.execute(db);
  await enableRls(db, 'divisions');
  await enableRls(db, 'division_members');
  await enableRls(db, 'invitations');

  // A guest sees only what they were added to: the rows here name, per resource, who was let in.
  await sql`
    create table resource_grants (
      workspace_id uuid not null references workspaces on delete cascade,
      resource_type text not null,
      resource_id text not null,
      user_id uuid not null references users on delete cascade,
      granted_by uuid references users on delete set null,
      created_at timestamptz not null default now(),
      primary key (workspace_id, resource_type, resource_id, user_id)
    );
    create index resource_grants_user on resource_grants (workspace_id, user_id, resource_type);
  `.execute(db);
  await enableRls(db, 'resource_grants');

  await sql`
    create table audit_events (
      id bigint generated always as identity primary key,
      workspace_id uuid references workspaces on delete cascade, -- null: an account event
      actor_id uuid references users on delete set null,
      actor_label text, -- who it was at the time (an email for a failed sign-in)
      action text not null,
      target_type text,
      target_id text,
      ip text,
      user_agent text,
      changes jsonb not null default '{}',
      created_at timestamptz not null default now()
    );
    create index audit_events_workspace on audit_events (workspace_id, created_at desc);
    create index audit_events_actor on audit_events (actor_id, created_at desc);
  `.execute(db);
  // The log is append-only for the app: it may insert and read, never update or delete.
  await enableRls(db, 'audit_events', {
    grants: 'select, insert',
    using: `workspace_id = app_workspace_id() or (workspace_id is null and actor_id = app_user_id())`,
    check: `workspace_id is not distinct from app_workspace_id()`,
  });
}
