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
