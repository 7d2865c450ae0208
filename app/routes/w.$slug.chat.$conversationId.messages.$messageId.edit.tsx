import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { loadMessageContext, messageInContext } from '~/modules/chat/message-context.server';
import { editMessage } from '~/modules/chat/messages.server';
import { chatPolicy } from '~/modules/chat/policy';
import { messageSchema, MESSAGE_MAX_LENGTH } from '~/modules/chat/schema';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, messageWithValues, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, TextAreaField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('chat:edit.title') };

/** Only the author corrects a message, and not once it is deleted. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const { conversation, message } = await loadMessageContext(member, params);
  assertAllowed(chatPolicy.edit(member, message));
  return {
    body: message.body,
    back: messageInContext(member.workspace.slug, message),
    conversationTitle: conversation.title,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const { message } = await loadMessageContext(member, params);
  assertAllowed(chatPolicy.edit(member, message));
  const submission = await parseForm(request, messageSchema.pick({ body: true }));
  if (submission.status !== 'success') return invalidForm(submission);
  const refused = await withWorkspace(member.ctx, (trx) =>
    editMessage(trx, member, message, submission.value.body),
  );
  if (refused)
    return invalidForm(submission, {
      fieldErrors: { body: [messageWithValues(refused.message, refused.values ?? {})] },
    });
  return redirectWithFlash(messageInContext(member.workspace.slug, message), {
    kind: 'success',
    key: 'chat:edit.saved',
  });
}

export default function EditMessage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const form = useFormState('edit-message', result, { body: data.body });
  return (
    <>
      <PageHeader title={t('chat:edit.title')} description={data.conversationTitle} />
      <ErrorSummary form={form} />
      <form method="post" className="stack">
        <TextAreaField
          field={form.field('body')}
          label={t('chat:composer.label')}
          hint={t('chat:composer.hint', { max: MESSAGE_MAX_LENGTH })}
          rows={6}
          maxLength={MESSAGE_MAX_LENGTH}
        />
        <p className="button-row">
          <Button>{t('chat:edit.save')}</Button>
          <a href={data.back}>{t('actions.cancel')}</a>
        </p>
      </form>
    </>
  );
}
