import type { T } from '~/platform/i18n/i18n';
import type { AuditRow } from './components';

type EventRow = {
  id: string;
  action: string;
  actorId: string | null;
  actorLabel: string | null;
  actorName: string | null;
  actorDeletedAt: Date | null;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  ip: string | null;
  changes: unknown;
  createdAt: Date;
};

/** One log row as people read it: names rather than ids, "Deleted user" for a deleted account. */
export function presentAuditEvent(row: EventRow, t: T): AuditRow {
  const actor = row.actorDeletedAt
    ? t('common:deletedUser')
    : (row.actorName ?? row.actorLabel ?? t('audit:system'));
  const target = row.targetType
    ? (row.targetName ??
      `${t(`audit:targets.${row.targetType}` as never, { defaultValue: row.targetType }) as string} ${row.targetId?.slice(0, 8) ?? ''}`.trim())
    : null;
  return {
    id: row.id,
    action: row.action,
    actor,
    target,
    ip: row.ip,
    changes: describeChanges(row.changes),
    createdAt: row.createdAt.toISOString(),
  };
}

const show = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '—'
    : Array.isArray(value)
      ? value.map(show).join(', ')
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);

/** "role: member → admin; name: Acme": what changed, readable in a table cell or a CSV. */
export function describeChanges(changes: unknown): string {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return '';
  const entries = Object.entries(changes as Record<string, unknown>);
  if (entries.length === 2 && 'from' in (changes as object) && 'to' in (changes as object)) {
    const { from, to } = changes as { from: unknown; to: unknown };
    return `${show(from)} → ${show(to)}`;
  }
  return entries
    .map(([key, value]) =>
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      'from' in value &&
      'to' in value
        ? `${key}: ${show((value as { from: unknown }).from)} → ${show((value as { to: unknown }).to)}`
        : `${key}: ${show(value)}`,
    )
    .join('; ');
}
