import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { getReader, type Reader } from '~/modules/accounts/reader.server';
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
import { viewerOf } from '~/platform/live/topics.server';
import { refusalOf, withStatusPages } from '~/platform/server/resource-errors.server';
import { toKnownStatus } from '~/ui/status-page';

/** htmx's own request from a card (a boosted form would be a page's navigation). */
const fromHtmx = (request: Request) =>
  request.headers.get('HX-Request') === 'true' && request.headers.get('HX-Boosted') !== 'true';

/**
 * A board card's Move and Assign forms. Without JavaScript the browser goes back to the board
 * with a message, or gets the translated error page. With htmx the answer is the board's
 * out-of-band swaps for this reader (BoardChange) and nothing else, or the reason it was
 * refused in the board's message: a resource route, because a page's action cannot answer
 * with a fragment (Remix would render the page around it).
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const reader = await getReader(request, context);
  if (!fromHtmx(request))
    return withStatusPages(reader.locale, () => change(request, context, params, reader));
  try {
    return await change(request, context, params, reader);
  } catch (error) {
    if (!(error instanceof Response) || error.status < 400) throw error;
    const t = getT(reader.locale);
    const reason = await refusalOf(error);
    const message = reason
      ? (t(reason.message as never, reason.values) as string)
      : (t(`errors.${toKnownStatus(error.status)}.title` as never) as string);
    return fragmentResponse(renderFragment(reader, <BoardMessage error={message} />), {
      status: error.status,
    });
  }
}

async function change(
  request: Request,
  context: ActionFunctionArgs['context'],
  params: ActionFunctionArgs['params'],
  reader: Reader,
): Promise<Response> {
  const member = await requireMember(request, context, params);
  const task = await requireTask(member, params.key);
  assertAllowed(taskPolicy.change(member, task) && !task.deletedAt);
  const changed = await changeFromCard(member, task, await readForm(request));
  if (!changed) throw badRequest();
  if (changed.refusal) throw refusal(422, changed.refusal);
  if (!fromHtmx(request))
    return redirectWithFlash(`/w/${member.workspace.slug}/projects/${task.projectKey}/board`, {
      kind: 'success',
      key: changed.field === 'status' ? 'tasks:board.moved' : 'tasks:board.assigned',
      values: { key: task.key },
    });
  const swaps = await withWorkspace(member.ctx, (trx) =>
    renderBoardChange(
      trx,
      { ...viewerOf(member, reader), slug: member.workspace.slug },
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
