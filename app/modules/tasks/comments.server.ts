import { recordAudit } from '~/modules/audit/record.server';
import { notify } from '~/modules/notifications/notify.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import type { Trx } from '~/platform/db/database.server';
import { findMentions, type Mentionable } from './mentions';
import { announceTask, type Task, type Viewer } from './tasks.server';

/**
 * Who can be mentioned on a task: whoever can see it (the project's members, and the
 * workspace's members and above, who see every project), active and not deleted.
 */
export async function mentionablePeople(trx: Trx, projectId: string): Promise<Mentionable[]> {
  const people = await trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.userId')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'memberships.role',
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('projectMembers')
              .select('projectMembers.userId')
              .whereRef('projectMembers.userId', '=', 'users.id')
              .where('projectMembers.projectId', '=', projectId),
          )
          .as('inProject'),
    ])
    .where('memberships.status', '=', 'active')
    .where('users.deletedAt', 'is', null)
    .execute();
  return people
    .filter((person) => person.inProject || roleAtLeast(person.role, 'member'))
    .map(({ id, name, email }) => ({ id, name, email }));
}

const EXCERPT_LENGTH = 200;

/**
 * A comment: saved, recorded, announced live; everyone it mentions is notified (and mailed, if
 * they want mail), and the assignee hears of comments they were not mentioned in.
 */
export async function addComment(
  trx: Trx,
  viewer: Viewer,
  slug: string,
  task: Task,
  body: string,
): Promise<void> {
  const comment = await trx
    .insertInto('taskComments')
    .values({
      workspaceId: viewer.ctx.workspaceId,
      taskId: task.id,
      authorId: viewer.ctx.userId,
      body,
    })
    .returning(['id', 'liveSeq'])
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    action: 'task.commented',
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    target: { type: 'task', id: task.id },
    changes: { key: task.key, commentId: comment.id },
  });
  const mentioned = findMentions(body, await mentionablePeople(trx, task.projectId));
  const excerpt = body.length > EXCERPT_LENGTH ? `${body.slice(0, EXCERPT_LENGTH - 1)}…` : body;
  const shared = {
    workspaceId: viewer.ctx.workspaceId,
    actorId: viewer.ctx.userId,
    title: `${task.key}: ${task.title}`,
    excerpt,
    path: `/w/${slug}/tasks/${task.key}#comment-${comment.id}`,
  };
  for (const person of mentioned)
    await notify(trx, { ...shared, userId: person.id, kind: 'task.mentioned' });
  if (task.assigneeId && !mentioned.some((person) => person.id === task.assigneeId))
    await notify(trx, { ...shared, userId: task.assigneeId, kind: 'task.commented' });
  await announceTask(trx, task, 'comment.created');
}
