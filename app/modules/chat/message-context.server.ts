import type { Member } from '~/modules/workspaces/queries.server';
import { withWorkspace, type Trx } from '~/platform/db/database.server';
import { notFound, uuidParam } from '~/platform/http-errors.server';
import { conversationPath, messageElementId, messagePath } from './components';
import { findConversation, type Conversation } from './conversations.server';
import { findMessage, type StoredMessage } from './messages.server';

/**
 * The conversation and message a message's routes are about, both visible to this member
 * (anyone else: 404), inside the caller's transaction.
 */
export async function requireMessage(
  trx: Trx,
  member: Member,
  params: { conversationId?: string; messageId?: string },
): Promise<{ conversation: Conversation; message: StoredMessage }> {
  const conversation = await findConversation(trx, member, uuidParam(params.conversationId));
  if (!conversation) throw notFound();
  const message = await findMessage(trx, conversation.id, uuidParam(params.messageId));
  if (!message) throw notFound();
  return { conversation, message };
}

export const loadMessageContext = (
  member: Member,
  params: { conversationId?: string; messageId?: string },
) => withWorkspace(member.ctx, (trx) => requireMessage(trx, member, params));

/**
 * Where a message is read in context: a reply on its thread's page, a message in the
 * conversation around it.
 */
export function messageInContext(slug: string, message: StoredMessage): string {
  if (message.parentId)
    return `${messagePath(slug, message.conversationId, message.parentId)}#${messageElementId(message.id)}`;
  return `${conversationPath(slug, message.conversationId)}?at=${message.seq}#${messageElementId(message.id)}`;
}
