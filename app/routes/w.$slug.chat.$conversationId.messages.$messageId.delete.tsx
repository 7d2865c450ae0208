import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { loadMessageContext, messageInContext } from '~/modules/chat/message-context.server';
import { deleteMessage } from '~/modules/chat/messages.server';
import { chatPolicy } from '~/modules/chat/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('chat:delete.title') };

/** Deleting asks first (a plain page, no script): the author, or an admin, confirms. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const { conversation, message } = await loadMessageContext(member, params);
  assertAllowed(chatPolicy.delete(member, message));
  return {
    body: message.body,
    own: message.authorId === member.user.id,
    back: messageInContext(member.workspace.slug, message),
    conversationTitle: conversation.title,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const { message } = await loadMessageContext(member, params);
  assertAllowed(chatPolicy.delete(member, message));
  await withWorkspace(member.ctx, (trx) => deleteMessage(trx, member, message));
  return redirectWithFlash(messageInContext(member.workspace.slug, message), {
    kind: 'success',
    key: 'chat:delete.done',
  });
}

export default function DeleteMessage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={t('chat:delete.title')} description={data.conversationTitle} />
      <p>{data.own ? t('chat:delete.confirmOwn') : t('chat:delete.confirmOther')}</p>
      <blockquote className="quote">{data.body}</blockquote>
      <form method="post" className="button-row">
        <Button variant="danger">{t('chat:delete.confirm')}</Button>
        <a href={data.back}>{t('actions.cancel')}</a>
      </form>
    </>
  );
}
