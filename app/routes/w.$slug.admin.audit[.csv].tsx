import { getReader } from '~/modules/accounts/reader.server';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { presentAuditEvent } from '~/modules/audit/present';
import { listAuditEvents } from '~/modules/audit/queries.server';
import { auditFiltersFromUrl } from '~/modules/audit/schema';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { csvRow } from '~/platform/csv';
import { getT } from '~/platform/i18n/i18n';

/** The audit log as CSV, with the page's filters; at most 100,000 rows per file. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.viewAuditLog(member.role));
  const t = getT(reader.locale);
  const filters = auditFiltersFromUrl(new URL(request.url));
  const { rows } = await listAuditEvents(member.ctx, filters, reader.timeZone, 1, 100_000);
  const header = csvRow([
    'time_utc',
    'actor',
    'action',
    'action_label',
    'target',
    'ip',
    'user_agent',
    'details',
  ]);
  const body = rows
    .map((row) => {
      const presented = presentAuditEvent(row, t);
      return csvRow([
        presented.createdAt,
        presented.actor,
        row.action,
        t(`audit:actions.${row.action}` as never),
        presented.target,
        row.ip,
        row.userAgent,
        presented.changes,
      ]);
    })
    .join('');
  return new Response(`\uFEFF${header}${body}`, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${member.workspace.slug}-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
