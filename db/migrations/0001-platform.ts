import { sql, type Kysely } from 'kysely';

/**
 * The role every app query runs as, and the functions RLS policies read. Roles are
 * cluster-wide, so creating one tolerates its existing already (another database, a re-run).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    begin
      if not exists (select 1 from pg_roles where rolname = 'workroom_app') then
        create role workroom_app nologin noinherit nobypassrls;
      end if;
    end $$;

    -- Cross-workspace housekeeping (the nightly purge): sees only what a policy names for it,
    -- table by table, and no tenant data beyond that. Nobody logs in as it.
    do $$
    begin
      if not exists (select 1 from pg_roles where rolname = 'workroom_maintenance') then
        create role workroom_maintenance nologin noinherit nobypassrls;
      end if;
    end $$;

    -- The migrating role must be able to SET ROLE to both (the pools do, at connect).
    grant workroom_app to current_user;
    grant workroom_maintenance to current_user;
    grant usage on schema public to workroom_maintenance;
    grant usage on schema public to workroom_app;

    create extension if not exists citext;

    -- The acting user and workspace of the current transaction, set by withWorkspace().
    create function app_user_id() returns uuid language sql stable as
      $f$ select nullif(current_setting('app.user_id', true), '')::uuid $f$;
    create function app_workspace_id() returns uuid language sql stable as
      $f$ select nullif(current_setting('app.workspace_id', true), '')::uuid $f$;
    grant execute on function app_user_id(), app_workspace_id() to workroom_app;

    -- Live updates: a row's live_seq moves on every change, so a reconnecting stream can ask
    -- its topic's tables for what changed after the Last-Event-ID it saw.
    create sequence live_seq;
    grant usage on sequence live_seq to workroom_app;
    create function bump_live_seq() returns trigger language plpgsql as
      $f$ begin new.live_seq := nextval('live_seq'); return new; end $f$;

    create function touch_updated_at() returns trigger language plpgsql as
      $f$ begin new.updated_at := now(); return new; end $f$;
  `.execute(db);
}
