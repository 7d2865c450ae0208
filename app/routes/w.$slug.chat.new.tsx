import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { conversationPath } from '~/modules/chat/components';
import { createGroup, listWorkspacePeople } from '~/modules/chat/conversations.server';
import { chatPolicy } from '~/modules/chat/policy';
import { groupSchema } from '~/modules/chat/schema';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { invalidForm, parseForm } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, TextField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('chat:group.new') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(chatPolicy.startConversation(member));
  const people = await withWorkspace(member.ctx, listWorkspacePeople);
  return {
    people: people
      .filter((person) => person.id !== member.user.id)
      .map((person) => ({ id: person.id, name: person.name ?? person.email ?? '' })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(chatPolicy.startConversation(member));
  const submission = await parseForm(request, groupSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  const id = await withWorkspace(member.ctx, (trx) => createGroup(trx, member, submission.value));
  return redirect(conversationPath(member.workspace.slug, id), 303);
}

export default function NewGroup() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const form = useFormState('new-group', result);
  const members = form.field('memberIds');
  const chosen = new Set(
    ([] as unknown[]).concat(result?.initialValue?.memberIds ?? []).map(String),
  );
  return (
    <>
      <PageHeader title={t('chat:group.new')} description={t('chat:group.intro')} />
      <ErrorSummary form={form} />
      <form method="post" className="stack">
        <TextField field={form.field('name')} label={t('chat:group.name')} maxLength={80} />
        <fieldset
          id={members.id}
          aria-describedby={members.errors.length ? members.errorId : undefined}
          tabIndex={-1}
        >
          <legend>{t('chat:group.members')}</legend>
          {members.errors.length ? (
            <p className="field__error" id={members.errorId}>
              {members.errors.join(' ')}
            </p>
          ) : null}
          <ul className="checkbox-list">
            {data.people.map((person) => (
              <li key={person.id}>
                <label>
                  <input
                    type="checkbox"
                    name="memberIds"
                    value={person.id}
                    defaultChecked={chosen.has(person.id)}
                  />{' '}
                  {person.name}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <Button>{t('chat:group.create')}</Button>
      </form>
    </>
  );
}
