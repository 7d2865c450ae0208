import { sql } from 'kysely';
import { withWorkspace, type Trx, type WorkspaceContext } from '~/platform/db/database.server';
import type { AuditAction } from './record.server';

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilters = { actor?: string; action?: AuditAction; from?: string; to?: string };

/**
 * The workspace's audit log, newest first. Dates are whole days in the reader's time zone:
 * "from 3 March to 5 March" includes all of 5 March there.
 */
export async function listAuditEvents(
  ctx: WorkspaceContext,
  filters: AuditFilters,
  timeZone: string,
  page: number,
  pageSize = AUDIT_PAGE_SIZE,
) {
  return withWorkspace(ctx, (trx) =>
    auditEventsIn(trx, ctx.workspaceId, filters, timeZone, page, pageSize),
  );
}

/** The same, inside a transaction the caller opened in that workspace. */
export async function auditEventsIn(
  trx: Trx,
  workspaceId: string,
  filters: AuditFilters,
  timeZone: string,
  page: number,
  pageSize = AUDIT_PAGE_SIZE,
  options: { total?: boolean } = {},
) {
  let query = trx
    .selectFrom('auditEvents')
    .leftJoin('users', 'users.id', 'auditEvents.actorId')
    .where('auditEvents.workspaceId', '=', workspaceId);
  if (filters.actor) query = query.where('auditEvents.actorId', '=', filters.actor);
  if (filters.action) query = query.where('auditEvents.action', '=', filters.action);
  // A day's start in the reader's zone, as an instant: timezone(zone, local timestamp).
  if (filters.from)
    query = query.where(
      'auditEvents.createdAt',
      '>=',
      sql<Date>`timezone(${timeZone}, ${filters.from}::timestamp)`,
    );
  if (filters.to)
    query = query.where(
      'auditEvents.createdAt',
      '<',
      sql<Date>`timezone(${timeZone}, ${filters.to}::timestamp + interval '1 day')`,
    );
  // The home page's "latest five" needs no total (and saves the count).
  const total =
    options.total === false
      ? { count: '0' }
      : await query.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'auditEvents.id',
      'auditEvents.action',
      'auditEvents.actorId',
      'auditEvents.actorLabel',
      'auditEvents.targetType',
      'auditEvents.targetId',
      'auditEvents.ip',
      'auditEvents.userAgent',
      'auditEvents.changes',
      'auditEvents.createdAt',
      'users.name as actorName',
      'users.deletedAt as actorDeletedAt',
      sql<string | null>`coalesce(
          (select t.name from users t where audit_events.target_type = 'user' and t.id::text = audit_events.target_id),
          (select f.name from files f where audit_events.target_type = 'file' and f.id::text = audit_events.target_id))`.as(
        'targetName',
      ),
    ])
    .orderBy('auditEvents.createdAt', 'desc')
    .orderBy('auditEvents.id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    rows,
    total: Number(total.count),
    pageCount: Math.max(1, Math.ceil(Number(total.count) / pageSize)),
  };
}

/** Everyone who appears as an actor in this workspace's log, for the actor filter. */
export async function listAuditActors(ctx: WorkspaceContext) {
  return withWorkspace(ctx, (trx) =>
    trx
      .selectFrom('auditEvents')
      .innerJoin('users', 'users.id', 'auditEvents.actorId')
      .select(['users.id', 'users.name', 'users.deletedAt'])
      .distinct()
      .where('auditEvents.workspaceId', '=', ctx.workspaceId)
      .orderBy('users.name')
      .execute(),
  );
}
