import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { getReader } from '~/modules/accounts/reader.server';
import { MessageItem } from '~/modules/chat/components';
import {
  loadMessageContext,
  messageInContext,
  requireMessage,
} from '~/modules/chat/message-context.server';
import { loadMessages, toggleReaction } from '~/modules/chat/messages.server';
import { reactionNames } from '~/modules/chat/schema';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { withWorkspace } from '~/platform/db/database.server';
import { readForm } from '~/platform/forms.server';
import { fragmentResponse, renderFragment } from '~/platform/fragment.server';
import { badRequest } from '~/platform/http-errors.server';
import { withStatusPages } from '~/platform/server/resource-errors.server';

const reactionSchema = z.object({ emoji: z.enum(reactionNames as [string, ...string[]]) });

/**
 * A reaction button: mine added or taken away. Without JavaScript the reader goes back to the
 * message; with htmx the answer is the message itself, swapped in place.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const reader = await getReader(request, context);
  return withStatusPages(reader.locale, async () => {
    const member = await requireMember(request, context, params);
    const parsed = reactionSchema.safeParse(Object.fromEntries(await readForm(request)));
    if (!parsed.success) throw badRequest();
    const message = await withWorkspace(member.ctx, async (trx) => {
      const { message } = await requireMessage(trx, member, params);
      assertAllowed(!message.deletedAt);
      await toggleReaction(
        trx,
        member,
        message,
        parsed.data.emoji as (typeof reactionNames)[number],
      );
      return message;
    });
    if (request.headers.get('HX-Request') !== 'true')
      return redirect(messageInContext(member.workspace.slug, message), 303);
    const [view] = await withWorkspace(member.ctx, (trx) => loadMessages(trx, [message.id]));
    return fragmentResponse(
      renderFragment(
        reader,
        <MessageItem
          message={view!}
          reader={{ userId: member.user.id, isAdmin: roleAtLeast(member.role, 'admin') }}
          slug={member.workspace.slug}
          inThread={view!.parentId !== null}
          oob
        />,
      ),
    );
  });
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const { message } = await loadMessageContext(member, params);
  return redirect(messageInContext(member.workspace.slug, message));
}
