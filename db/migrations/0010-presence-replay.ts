import { sql, type Kysely } from 'kysely';

/**
 * A page that (re)connects its live stream learns whose presence changed since its
 * Last-Event-ID: a presence row's live_seq moves when what the others see of it changes
 * (online shown or not, do not disturb), not at every heartbeat's renewal. The sweep changes
 * `shown_online` as the maintenance role, so that role may now take numbers from live_seq.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table presence add column live_seq bigint not null default nextval('live_seq');
    create trigger presence_live_seq before update on presence for each row
      when (old.shown_online is distinct from new.shown_online
        or old.do_not_disturb is distinct from new.do_not_disturb)
      execute function bump_live_seq();
    create index presence_live on presence (workspace_id, live_seq);
    grant usage on sequence live_seq to workroom_maintenance;
  `.execute(db);
}
