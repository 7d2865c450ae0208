import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { getReader } from '~/modules/accounts/reader.server';
import { projectPolicy } from '~/modules/projects/policy';
import { requireProject } from '~/modules/projects/projects.server';
import { statusName, TaskCard } from '~/modules/tasks/components';
import { boardTasks, columnCounts } from '~/modules/tasks/queries.server';
import { listStatuses } from '~/modules/tasks/statuses.server';
import { assignableMembers } from '~/modules/tasks/tasks.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { createFormatter } from '~/platform/i18n/format';
import { notFound } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { buttonClass } from '~/ui/button';
import { PageHeader } from '~/ui/page-header';
import { ProjectTabs } from '~/modules/tasks/project-tabs';

export const handle: RouteHandle = {
  liveTopics: (data: { projectId: string }) => [`project:${data.projectId}`],
  title: (t, data) =>
    `${t('tasks:board.title')} · ${(data as { projectName?: string } | undefined)?.projectName ?? ''}`,
};

/** The board: a column per status, cards most urgent first, then soonest due. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  const project = await requireProject(member, params.key);
  if (project.deletedAt) throw notFound();
  return withWorkspace(member.ctx, async (trx) => ({
    slug: member.workspace.slug,
    projectId: project.id,
    projectKey: project.key,
    projectName: project.name,
    today: createFormatter(reader.locale, reader.timeZone).isoDate(new Date()),
    statuses: await listStatuses(trx, project.id),
    tasks: await boardTasks(trx, project.id),
    counts: await columnCounts(trx, project.id),
    people: await assignableMembers(trx, project.id),
    canChange: projectPolicy.contribute(member.role, project.myRole),
    canManage: projectPolicy.manage(member.role, project.myRole),
  }));
}

export default function Board() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const base = `/w/${data.slug}/projects/${data.projectKey}`;
  const context = {
    slug: data.slug,
    today: data.today,
    statuses: data.statuses,
    people: data.people,
    canChange: data.canChange,
  };
  return (
    <>
      <PageHeader
        title={data.projectName}
        description={t('tasks:board.title')}
        actions={
          <span className="button-row">
            {data.canManage ? <a href={`${base}/statuses`}>{t('tasks:statuses.link')}</a> : null}
            {data.canChange ? (
              <a className={buttonClass()} href={`${base}/tasks/new`}>
                {t('tasks:new.link')}
              </a>
            ) : null}
          </span>
        }
      />
      <ProjectTabs base={base} current="board" />
      <p id="board-announcer" className="visually-hidden" role="status" />
      <div id="board-message" />
      {/* Live: other people's changes arrive on the page's stream as out-of-band swaps. */}
      <div sse-swap="board" hx-swap="none" hidden />
      <div className="board">
        {data.statuses.map((status) => {
          const cards = data.tasks.filter((task) => task.statusId === status.id);
          const total = data.counts.find((column) => column.id === status.id)?.count ?? 0;
          return (
            <section
              key={status.id}
              className="board-column"
              aria-labelledby={`column-${status.id}`}
            >
              <h2 id={`column-${status.id}`}>
                {statusName(t, status)}{' '}
                <span id={`column-count-${status.id}`} className="muted">
                  {t('tasks:board.count', { count: total })}
                </span>
              </h2>
              <ol id={`column-cards-${status.id}`} className="board-cards">
                {cards.map((task) => (
                  <TaskCard key={task.id} task={task} context={context} />
                ))}
              </ol>
              {total > cards.length ? (
                <p>
                  <a href={`${base}/tasks?status=${status.id}&sort=updated`}>
                    {t('tasks:board.recentDone', { shown: cards.length, total })}
                  </a>
                </p>
              ) : null}
            </section>
          );
        })}
      </div>
    </>
  );
}
