import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { conversationPath } from '~/modules/chat/components';
import { findConversation, markRead } from '~/modules/chat/conversations.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { notFound, uuidParam } from '~/platform/http-errors.server';

/** Messages that arrived while the conversation was open are read (its page posts this). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const conversationId = uuidParam(params.conversationId);
  await withWorkspace(member.ctx, async (trx) => {
    const conversation = await findConversation(trx, member, conversationId);
    if (!conversation) throw notFound();
    await markRead(trx, member, conversation);
  });
  if (request.headers.get('HX-Request') === 'true') return new Response(null, { status: 204 });
  return redirect(conversationPath(member.workspace.slug, conversationId), 303);
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  return redirect(conversationPath(member.workspace.slug, uuidParam(params.conversationId)));
}
