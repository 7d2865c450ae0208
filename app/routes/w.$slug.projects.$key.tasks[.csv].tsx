import type { LoaderFunctionArgs } from '@remix-run/node';
import { getReader } from '~/modules/accounts/reader.server';
import { requireProject } from '~/modules/projects/projects.server';
import { statusName } from '~/modules/tasks/components';
import { allProjectTasks } from '~/modules/tasks/queries.server';
import { readTaskFilters } from '~/modules/tasks/schema';
import { requireMember } from '~/modules/workspaces/queries.server';
import { csvRow } from '~/platform/csv';
import { withWorkspace } from '~/platform/db/database.server';
import { getEnv } from '~/platform/env.server';
import { notFound } from '~/platform/http-errors.server';
import { getT } from '~/platform/i18n/i18n';

/** The task list as CSV, with the list's filters and sort, every page at once (up to 10,000). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  if (project.deletedAt) throw notFound();
  const t = getT(reader.locale);
  const filters = readTaskFilters(new URL(request.url).searchParams);
  const tasks = await withWorkspace(member.ctx, (trx) =>
    allProjectTasks(trx, member, project.id, filters, reader.timeZone),
  );
  const header = csvRow([
    'key',
    'title',
    'status',
    'assignee',
    'priority',
    'due_date',
    'labels',
    'checklist_done',
    'checklist_total',
    'created_at_utc',
    'completed_at_utc',
    'url',
  ]);
  const body = tasks
    .map((task) =>
      csvRow([
        task.key,
        task.title,
        statusName(t, { name: task.statusName, preset: task.statusPreset }),
        task.assigneeName ?? '',
        t(`tasks:priority.${task.priority}`),
        task.dueDate ?? '',
        task.labels.map((label) => label.name).join('; '),
        task.checklistDone,
        task.checklistTotal,
        task.createdAt,
        task.completedAt,
        `${getEnv().appUrl}/w/${member.workspace.slug}/tasks/${task.key}`,
      ]),
    )
    .join('');
  return new Response(`\uFEFF${header}${body}`, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="tasks-${project.key}-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
