import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { getReader } from '~/modules/accounts/reader.server';
import {
  AppendMessage,
  Composer,
  conversationPath,
  MessageItem,
  repliesId,
  TIMELINE_ID,
} from '~/modules/chat/components';
import { loadMessages } from '~/modules/chat/messages.server';
import { receiveMessage } from '~/modules/chat/post-form.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { withWorkspace } from '~/platform/db/database.server';
import { fragmentResponse, renderFragment } from '~/platform/fragment.server';
import { messageWithValues } from '~/platform/forms.server';
import { isUuid, uuidParam } from '~/platform/http-errors.server';
import { refusalOf } from '~/platform/server/resource-errors.server';
import type { FormResult } from '~/ui/form';
import { toKnownStatus } from '~/ui/status-page';

/**
 * The composer's htmx post (a resource route: a page's action cannot answer with a fragment).
 * The answer is a fresh composer plus the new message for the log, which the live event then
 * finds already there; or the composer with what went wrong, with the status that says so.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const reader = await getReader(request, context);
  const conversationId = uuidParam(params.conversationId);
  let slug = params.slug ?? '';
  // A thread's composer says so in its address, so that even a refusal's answer stays a reply.
  const requested = new URL(request.url).searchParams.get('parentId');
  const parentId = requested && isUuid(requested) ? requested : undefined;
  try {
    const member = await requireMember(request, context, params);
    slug = member.workspace.slug;
    const outcome = await receiveMessage(request, member, conversationId, { parentId });
    if (!outcome.ok)
      return fragmentResponse(
        renderFragment(
          reader,
          <Composer
            slug={slug}
            conversationId={conversationId}
            result={outcome.reply.data.result}
            parentId={parentId}
          />,
        ),
        { status: 422 },
      );
    const [message] = await withWorkspace(member.ctx, (trx) =>
      loadMessages(trx, [outcome.message.id]),
    );
    const readerOf = { userId: member.user.id, isAdmin: roleAtLeast(member.role, 'admin') };
    return fragmentResponse(
      renderFragment(
        reader,
        <>
          <Composer
            slug={slug}
            conversationId={conversationId}
            parentId={outcome.parentId}
            // eslint-disable-next-line jsx-a11y/no-autofocus -- the writer carries on where they were
            autoFocus
          />
          <AppendMessage into={outcome.parentId ? repliesId(outcome.parentId) : TIMELINE_ID}>
            <MessageItem
              message={message!}
              reader={readerOf}
              slug={slug}
              inThread={Boolean(outcome.parentId)}
            />
          </AppendMessage>
        </>,
      ),
    );
  } catch (error) {
    if (!(error instanceof Response) || error.status < 400) throw error;
    const reason = await refusalOf(error);
    const message = reason
      ? messageWithValues(reason.message, reason.values)
      : `errors.${toKnownStatus(error.status)}.title`;
    const result: FormResult = { status: 'error', error: { '': [message] } };
    const headers = new Headers();
    const retryAfter = error.headers.get('Retry-After');
    if (retryAfter) headers.set('Retry-After', retryAfter);
    return fragmentResponse(
      renderFragment(
        reader,
        <Composer
          slug={slug}
          conversationId={conversationId}
          result={result}
          parentId={parentId}
        />,
      ),
      { status: error.status, headers },
    );
  }
}

/** Nothing to show here: an address typed by hand lands on the conversation. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  return redirect(conversationPath(member.workspace.slug, uuidParam(params.conversationId)));
}
