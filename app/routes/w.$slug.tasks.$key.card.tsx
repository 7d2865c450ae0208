import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { getReader } from '~/modules/accounts/reader.server';
import { changeFromCard } from '~/modules/tasks/card-change.server';
import { BoardMessage } from '~/modules/tasks/components';
import { renderBoardChange } from '~/modules/tasks/live.server';
import { requireTask, taskPolicy } from '~/modules/tasks/tasks.server';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { redirectWithFlash } from '~/platform/flash.server';
import { readForm } from '~/platform/forms.server';
import { fragmentResponse, renderFragment } from '~/platform/fragment.server';
import { badRequest, refusal } from '~/platform/http-errors.server';
import { getT } from '~/platform/i18n/i18n';

/** htmx's own request from a card (a boosted form would be a page's navigation). */
const fromHtmx = (request: Request) =>
  request.headers.get('HX-Request') === 'true' && request.headers.get('HX-Boosted') !== 'true';

/**
 * A board card's Move and Assign forms. Without JavaScript the browser goes back to the board
 * with a message. With htmx the answer is the board's out-of-band swaps for this reader
 * (BoardChange) and nothing else: a resource route, because a page's action cannot answer with
 * a fragment (Remix would render the page around it).
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  const task = await requireTask(member, params.key);
  assertAllowed(taskPolicy.change(member, task) && !task.deletedAt);
  const change = await changeFromCard(member, task, await readForm(request));
  if (!change) throw badRequest();

  if (!fromHtmx(request)) {
    if (change.refusal) throw refusal(422, change.refusal);
    return redirectWithFlash(`/w/${member.workspace.slug}/projects/${task.projectKey}/board`, {
      kind: 'success',
      key: change.field === 'status' ? 'tasks:board.moved' : 'tasks:board.assigned',
      values: { key: task.key },
    });
  }
  if (change.refusal) {
    const message = getT(reader.locale)(change.refusal as never) as string;
    return fragmentResponse(renderFragment(reader, <BoardMessage error={message} />), {
      status: 422,
    });
  }
  const swaps = await withWorkspace(member.ctx, (trx) =>
    renderBoardChange(
      trx,
      {
        userId: member.user.id,
        sessionId: member.sessionId,
        workspaceId: member.workspace.id,
        role: member.role,
        locale: reader.locale,
        timeZone: reader.timeZone,
        slug: member.workspace.slug,
      },
      task.projectId,
      task.id,
    ),
  );
  // An earlier refusal's message goes once a change has worked.
  return fragmentResponse(`${swaps ?? ''}${renderFragment(reader, <BoardMessage />)}`);
}

/** Nothing to show here: an address typed by hand lands on the task. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const task = await requireTask(member, params.key);
  return redirect(`/w/${member.workspace.slug}/tasks/${task.key}`);
}
