import { sql } from 'kysely';
import { projectPolicy } from '~/modules/projects/policy';
import type { Trx } from '~/platform/db/database.server';
import type { ProjectRole, WorkspaceRole } from '~/platform/db/schema';
import { renderFragment } from '~/platform/fragment.server';
import { createFormatter } from '~/platform/i18n/format';
import { getT } from '~/platform/i18n/i18n';
import {
  defineTopic,
  type SseMessage,
  type Viewer as StreamViewer,
} from '~/platform/live/topics.server';
import { BoardChange, statusName } from './components';
import { boardCard, columnCounts } from './queries.server';
import { listStatuses } from './statuses.server';
import { TaskLiveSections } from './task-page';
import { loadTaskPage } from './task-page.server';
import { assignableMembers, findTask, taskPolicy, type Viewer } from './tasks.server';

/** The stream's viewer as the module's own functions expect it. */
const asMember = (viewer: StreamViewer): Viewer => ({
  role: viewer.role as WorkspaceRole,
  ctx: { userId: viewer.userId, workspaceId: viewer.workspaceId },
});

async function projectAccess(trx: Trx, viewer: StreamViewer, projectId: string) {
  const project = await trx
    .selectFrom('projects')
    .select([
      'id',
      'key',
      'deletedAt',
      sql<ProjectRole | null>`(select pm.role from project_members pm where pm.project_id = projects.id and pm.user_id = ${viewer.userId})`.as(
        'myRole',
      ),
    ])
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (
    !project ||
    project.deletedAt ||
    !projectPolicy.see(viewer.role as WorkspaceRole, project.myRole)
  )
    return null;
  return project;
}

/** The board's change for one task, rendered for this viewer, or null if the board is not theirs. */
export async function renderBoardChange(
  trx: Trx,
  viewer: StreamViewer & { slug: string },
  projectId: string,
  taskId: string,
): Promise<string | null> {
  const project = await projectAccess(trx, viewer, projectId);
  if (!project) return null;
  const t = getT(viewer.locale);
  const card = await boardCard(trx, taskId);
  // A trashed task has no card any more, but its old one must leave the board.
  const number =
    card?.task.number ??
    (await trx.selectFrom('tasks').select('number').where('id', '=', taskId).executeTakeFirst())
      ?.number;
  if (number === undefined) return null;
  const statuses = await listStatuses(trx, projectId);
  const today = createFormatter(viewer.locale, viewer.timeZone).isoDate(new Date());
  const status = statuses.find((s) => s.id === card?.task.statusId);
  return renderFragment(
    viewer,
    <BoardChange
      taskNumber={number}
      task={card?.shown && card.task.projectId === projectId ? card.task : null}
      nextNumber={card?.nextNumber ?? null}
      counts={await columnCounts(trx, projectId)}
      context={{
        slug: viewer.slug,
        today,
        statuses,
        people: await assignableMembers(trx, projectId),
        canChange: projectPolicy.contribute(viewer.role as WorkspaceRole, project.myRole),
      }}
      announcement={
        card && status
          ? t('tasks:board.announce', { key: card.task.key, status: statusName(t, status) })
          : t('tasks:board.announceRemoved')
      }
    />,
  );
}

async function workspaceSlug(trx: Trx): Promise<string> {
  const row = await trx
    .selectFrom('workspaces')
    .select('slug')
    .where(sql<boolean>`id = app_workspace_id()`)
    .executeTakeFirstOrThrow();
  return row.slug;
}

/** A project's board: every change to one of its tasks moves, updates or removes one card. */
defineTopic({
  kind: 'project',
  authorize: async (trx, viewer, projectId) =>
    (await projectAccess(trx, viewer, projectId)) !== null,
  async render(trx, viewer, event) {
    const html = await renderBoardChange(
      trx,
      { ...viewer, slug: await workspaceSlug(trx) },
      event.t.slice('project:'.length),
      event.id,
    );
    return html === null ? null : { event: 'board', data: html };
  },
  async replay(trx, viewer, projectId, afterSeq) {
    const changed = await trx
      .selectFrom('tasks')
      .select(['id', 'liveSeq'])
      .where('projectId', '=', projectId)
      .where('liveSeq', '>', afterSeq)
      .orderBy('liveSeq')
      .limit(200)
      .execute();
    const slug = await workspaceSlug(trx);
    const messages: SseMessage[] = [];
    for (const task of changed) {
      const html = await renderBoardChange(trx, { ...viewer, slug }, projectId, task.id);
      if (html) messages.push({ event: 'board', data: html, id: String(task.liveSeq) });
    }
    return messages;
  },
});

async function visibleTask(trx: Trx, viewer: StreamViewer, taskId: string) {
  const member = asMember(viewer);
  const row = await trx
    .selectFrom('tasks')
    .innerJoin('projects', 'projects.id', 'tasks.projectId')
    .select(sql<string>`projects.key || '-' || tasks.number`.as('key'))
    .where('tasks.id', '=', taskId)
    .executeTakeFirst();
  const task = row ? await findTask(trx, member, row.key) : undefined;
  return task && taskPolicy.comment(member, task) ? task : null;
}

async function renderTask(trx: Trx, viewer: StreamViewer, taskId: string): Promise<string | null> {
  const task = await visibleTask(trx, viewer, taskId);
  if (!task) return null;
  const member = asMember(viewer);
  const data = await loadTaskPage(trx, member, await workspaceSlug(trx), task, viewer.timeZone);
  return renderFragment(viewer, <TaskLiveSections data={data} />);
}

/** A task's page: any change refreshes its details, checklist, comments and history. */
defineTopic({
  kind: 'task',
  authorize: async (trx, viewer, taskId) => (await visibleTask(trx, viewer, taskId)) !== null,
  async render(trx, viewer, event) {
    const html = await renderTask(trx, viewer, event.id);
    return html === null ? null : { event: 'task', data: html };
  },
  async replay(trx, viewer, taskId, afterSeq) {
    const { latest } = await trx
      .selectFrom('tasks')
      .select(
        sql<
          string | null
        >`greatest(tasks.live_seq, (select max(c.live_seq) from task_comments c where c.task_id = tasks.id))::text`.as(
          'latest',
        ),
      )
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow();
    if (!latest || BigInt(latest) <= BigInt(afterSeq)) return [];
    const html = await renderTask(trx, viewer, taskId);
    return html === null ? [] : [{ event: 'task', data: html, id: latest }];
  },
});
