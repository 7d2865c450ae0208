import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { conversationPath } from '~/modules/chat/components';
import { findConversation } from '~/modules/chat/conversations.server';
import { announceTyping, TYPING_NOTICE_MS } from '~/modules/chat/typing.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { notFound, uuidParam } from '~/platform/http-errors.server';
import { singleton } from '~/platform/singleton.server';

/** When each person last said they were typing where: a page that sends more often is ignored. */
const lastNotice = singleton('chat-typing-notices', () => new Map<string, number>());

/** "I am typing here": told to the conversation's open pages, written nowhere. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const conversationId = uuidParam(params.conversationId);
  const key = `${member.user.id}|${conversationId}`;
  const now = Date.now();
  if (now - (lastNotice.get(key) ?? 0) < TYPING_NOTICE_MS - 500)
    return new Response(null, { status: 204 });
  lastNotice.set(key, now);
  // Forget old entries as we go, so the map holds only the last few seconds' typists.
  if (lastNotice.size > 1000)
    for (const [entry, at] of lastNotice) if (now - at > TYPING_NOTICE_MS) lastNotice.delete(entry);
  await withWorkspace(member.ctx, async (trx) => {
    if (!(await findConversation(trx, member, conversationId))) throw notFound();
    await announceTyping(trx, member.workspace.id, conversationId, member.user.id);
  });
  return new Response(null, { status: 204 });
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  return redirect(conversationPath(member.workspace.slug, uuidParam(params.conversationId)));
}
