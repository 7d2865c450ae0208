import { renderMarkdown } from '~/modules/projects/markdown.server';
import type { Trx } from '~/platform/db/database.server';
import { createFormatter } from '~/platform/i18n/format';
import { mentionablePeople } from './comments.server';
import { labelChoices } from './labels.server';
import { markMentions } from './mentions';
import { taskDetails } from './queries.server';
import { listStatuses } from './statuses.server';
import { assignableMembers, taskPolicy, type Task, type Viewer } from './tasks.server';

/**
 * Everything the task page shows, for one reader: the page's loader and the live event that
 * refreshes its sections both build it here, so they cannot drift apart.
 */
export async function loadTaskPage(
  trx: Trx,
  viewer: Viewer,
  slug: string,
  task: Task,
  timeZone: string,
) {
  const [details, statuses, people, allLabels, mentionable] = [
    await taskDetails(trx, task.id),
    await listStatuses(trx, task.projectId),
    await assignableMembers(trx, task.projectId),
    await labelChoices(trx),
    await mentionablePeople(trx, task.projectId),
  ];
  return {
    slug,
    today: createFormatter('en', timeZone).isoDate(new Date()),
    task: {
      id: task.id,
      key: task.key,
      title: task.title,
      description: task.description,
      descriptionHtml: renderMarkdown(task.description),
      statusId: task.statusId,
      statusName: task.statusName,
      statusPreset: task.statusPreset,
      statusCategory: task.statusCategory,
      assigneeId: task.assigneeId,
      assigneeName: task.assigneeName,
      dueDate: task.dueDate,
      priority: task.priority,
      createdAt: task.createdAt,
      creatorName: task.creatorName,
      completedAt: task.completedAt,
      deleted: task.deletedAt !== null,
      projectKey: task.projectKey,
      projectName: task.projectName,
    },
    labels: details.labels,
    checklist: details.checklist,
    comments: details.comments.map((comment) => ({
      id: comment.id,
      authorName: comment.authorName,
      createdAt: comment.createdAt,
      // markdown-it with raw HTML off (markdown.server.ts); mentions only wrap text nodes.
      bodyHtml: markMentions(renderMarkdown(comment.body), mentionable),
    })),
    activity: details.activity,
    statuses,
    people,
    allLabels,
    canChange: taskPolicy.change(viewer, task) && task.deletedAt === null,
    canComment: taskPolicy.comment(viewer, task) && task.deletedAt === null,
  };
}

export type TaskPageData = Awaited<ReturnType<typeof loadTaskPage>>;
