import type { Trx } from '~/platform/db/database.server';
import type { Viewer } from './tasks.server';

/** A saved view is a name for a list's query string, its owner's alone (RLS says so too). */
export async function listSavedViews(trx: Trx, viewer: Viewer, projectId: string) {
  return trx
    .selectFrom('savedViews')
    .select(['id', 'name', 'query'])
    .where('userId', '=', viewer.ctx.userId!)
    .where('projectId', '=', projectId)
    .orderBy('name')
    .execute();
}

export async function saveView(
  trx: Trx,
  viewer: Viewer,
  projectId: string,
  input: { name: string; query: string },
) {
  await trx
    .insertInto('savedViews')
    .values({
      workspaceId: viewer.ctx.workspaceId,
      userId: viewer.ctx.userId!,
      projectId,
      name: input.name,
      query: input.query,
    })
    .execute();
}

export async function removeSavedView(trx: Trx, viewer: Viewer, viewId: string): Promise<boolean> {
  const removed = await trx
    .deleteFrom('savedViews')
    .where('id', '=', viewId)
    .where('userId', '=', viewer.ctx.userId!)
    .executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}
