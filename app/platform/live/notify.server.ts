import { sql } from 'kysely';
import type { Trx } from '../db/database.server';
import type { LiveEvent } from './topics.server';

/**
 * Announces a change to every container's open streams. Sent inside the changing transaction:
 * Postgres delivers it only if that transaction commits, and in commit order.
 */
export async function notifyLive(trx: Trx, event: LiveEvent): Promise<void> {
  await sql`select pg_notify('live', ${JSON.stringify(event)})`.execute(trx);
}

/**
 * Where live events stand now: a page rendered with this opens its stream with it as its
 * Last-Event-ID, so a change committed between its render and its connection still reaches it
 * (and a count it shows is re-sent as it is by then). The workspace layout reads it first thing.
 */
export async function liveCursor(trx: Trx): Promise<string> {
  const { rows } = await sql<{
    seq: string | null;
  }>`select pg_sequence_last_value('live_seq')::text as seq`.execute(trx);
  return rows[0]?.seq ?? '0';
}
