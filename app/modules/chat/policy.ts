import type { WorkspaceRole } from '~/platform/db/schema';
import { roleAtLeast } from '~/modules/workspaces/roles';

type Actor = { role: WorkspaceRole; ctx: { userId: string | null } };
type ConversationFacts = { kind: 'direct' | 'group' | 'project'; createdBy: string | null };
type MessageFacts = { authorId: string | null; deletedAt: Date | string | null };

/**
 * Who may do what in chat, beyond being a member of the conversation (which every rule
 * assumes: RLS shows nobody else its messages). Guests take part only where they were added.
 */
export const chatPolicy = {
  startConversation: (actor: Actor) => roleAtLeast(actor.role, 'member'),
  /** A group's members and name: its creator, or a workspace admin. */
  manageGroup: (actor: Actor, conversation: ConversationFacts) =>
    conversation.kind === 'group' &&
    (conversation.createdBy === actor.ctx.userId || roleAtLeast(actor.role, 'admin')),
  /** Only a group can be left: a direct conversation is the pair's, a project's its members'. */
  leave: (conversation: ConversationFacts) => conversation.kind === 'group',
  edit: (actor: Actor, message: MessageFacts) =>
    !message.deletedAt && message.authorId === actor.ctx.userId,
  delete: (actor: Actor, message: MessageFacts) =>
    !message.deletedAt &&
    (message.authorId === actor.ctx.userId || roleAtLeast(actor.role, 'admin')),
  /** Earlier versions of an edited message. */
  seeEdits: (actor: Actor) => roleAtLeast(actor.role, 'admin'),
};
