import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { conversationPath, PresenceBadge } from '~/modules/chat/components';
import {
  addGroupMembers,
  findConversation,
  listConversationMembers,
  listWorkspacePeople,
  removeGroupMember,
  renameGroup,
  setMuted,
} from '~/modules/chat/conversations.server';
import { chatPolicy } from '~/modules/chat/policy';
import { offlineAt, presenceState } from '~/modules/chat/presence.server';
import { addMembersSchema, renameSchema } from '~/modules/chat/schema';
import { assertAllowed, requireMember, type Member } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, readForm } from '~/platform/forms.server';
import { parseWithZod } from '@conform-to/zod/v4';
import { badRequest, notFound, uuidParam } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, TextField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = {
  title: (t, data: { conversation: { title: string } }) =>
    t('chat:members.pageTitle', { conversation: data.conversation.title }),
};

async function requireConversation(member: Member, conversationId: string | undefined) {
  const conversation = await withWorkspace(member.ctx, (trx) =>
    findConversation(trx, member, uuidParam(conversationId)),
  );
  if (!conversation) throw notFound();
  return conversation;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const conversation = await requireConversation(member, params.conversationId);
  const canManage = chatPolicy.manageGroup(member, conversation);
  return withWorkspace(member.ctx, async (trx) => {
    const members = await listConversationMembers(trx, conversation.id);
    const inIt = new Set(members.map((person) => person.id));
    const others = canManage
      ? (await listWorkspacePeople(trx)).filter((person) => !inIt.has(person.id))
      : [];
    const now = Date.now();
    return {
      slug: member.workspace.slug,
      me: member.user.id,
      conversation: {
        id: conversation.id,
        kind: conversation.kind,
        title: conversation.title,
        name: conversation.name,
        muted: conversation.muted,
        projectKey: conversation.projectKey,
      },
      canManage,
      canLeave: chatPolicy.leave(conversation),
      members: members.map((person) => ({
        id: person.id,
        name: person.name ?? person.email ?? '',
        state: presenceState(person, now),
        offlineAt: offlineAt(person, now),
      })),
      others: others.map((person) => ({ id: person.id, name: person.name ?? person.email ?? '' })),
    };
  });
}

const intentSchema = z.enum(['add', 'remove', 'leave', 'rename', 'mute']);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  const conversation = await requireConversation(member, params.conversationId);
  const form = await readForm(request);
  const intent = intentSchema.safeParse(form.get('intent'));
  if (!intent.success) throw badRequest();
  const slug = member.workspace.slug;
  const page = `${conversationPath(slug, conversation.id)}/members`;

  if (intent.data === 'mute') {
    const muted = form.get('muted') === '1';
    await withWorkspace(member.ctx, (trx) => setMuted(trx, member, conversation.id, muted));
    return redirectWithFlash(page, {
      kind: 'success',
      key: muted ? 'chat:members.muted' : 'chat:members.unmuted',
    });
  }
  if (intent.data === 'leave') {
    assertAllowed(chatPolicy.leave(conversation));
    await withWorkspace(member.ctx, (trx) =>
      removeGroupMember(trx, member, conversation, member.user.id),
    );
    return redirectWithFlash(`/w/${slug}/chat`, {
      kind: 'success',
      key: 'chat:members.left',
      values: { name: conversation.title },
    });
  }
  assertAllowed(chatPolicy.manageGroup(member, conversation));
  if (intent.data === 'rename') {
    const submission = parseWithZod(form, { schema: renameSchema });
    if (submission.status !== 'success') return invalidForm(submission);
    await withWorkspace(member.ctx, (trx) =>
      renameGroup(trx, member, conversation, submission.value.name),
    );
    return redirectWithFlash(page, { kind: 'success', key: 'chat:members.renamed' });
  }
  if (intent.data === 'add') {
    const submission = parseWithZod(form, { schema: addMembersSchema });
    if (submission.status !== 'success') return invalidForm(submission);
    const added = await withWorkspace(member.ctx, (trx) =>
      addGroupMembers(trx, member, conversation, submission.value.memberIds),
    );
    return redirectWithFlash(page, {
      kind: 'success',
      key: 'chat:members.added',
      values: { count: added },
    });
  }
  const userId = z.uuid().safeParse(form.get('userId'));
  if (!userId.success) throw badRequest();
  const removed = await withWorkspace(member.ctx, (trx) =>
    removeGroupMember(trx, member, conversation, userId.data),
  );
  if (!removed) throw notFound();
  if (userId.data === member.user.id) return redirect(`/w/${slug}/chat`, 303);
  return redirectWithFlash(page, { kind: 'success', key: 'chat:members.removed' });
}

export default function ConversationMembers() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() as { result?: FormResult } | undefined)?.result;
  const failed = result?.initialValue?.intent;
  const rename = useFormState('rename', failed === 'rename' ? result : undefined, {
    name: data.conversation.name ?? undefined,
  });
  const add = useFormState('add-members', failed === 'add' ? result : undefined);
  const { conversation } = data;
  const page = `${conversationPath(data.slug, conversation.id)}/members`;
  return (
    <>
      <PageHeader
        title={t('chat:members.pageTitle', { conversation: conversation.title })}
        description={
          conversation.kind === 'project'
            ? t('chat:members.projectNote')
            : conversation.kind === 'direct'
              ? t('chat:members.directNote')
              : undefined
        }
        actions={<a href={conversationPath(data.slug, conversation.id)}>{t('chat:thread.back')}</a>}
      />
      <ErrorSummary form={rename} />
      <ErrorSummary form={add} />
      <ul className="member-presence">
        {data.members.map((person) => (
          <li key={person.id}>
            {person.name}{' '}
            <PresenceBadge userId={person.id} state={person.state} offlineAt={person.offlineAt} />
            {data.canManage && person.id !== data.me ? (
              <form method="post" action={page} className="inline-form">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="userId" value={person.id} />{' '}
                <Button variant="secondary" small>
                  {t('chat:members.remove', { name: person.name })}
                </Button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      <form method="post" action={page} className="inline-form">
        <input type="hidden" name="intent" value="mute" />
        <input type="hidden" name="muted" value={conversation.muted ? '0' : '1'} />
        <Button variant="secondary" aria-pressed={conversation.muted}>
          {t('chat:members.mute')}
        </Button>
      </form>
      {data.canLeave ? (
        <form method="post" action={page} className="inline-form">
          <input type="hidden" name="intent" value="leave" />{' '}
          <Button variant="secondary">{t('chat:members.leave')}</Button>
        </form>
      ) : null}
      {data.canManage ? (
        <>
          <h2>{t('chat:members.renameTitle')}</h2>
          <form method="post" action={page} className="stack">
            <input type="hidden" name="intent" value="rename" />
            <TextField field={rename.field('name')} label={t('chat:group.name')} maxLength={80} />
            <Button>{t('chat:members.rename')}</Button>
          </form>
          {data.others.length ? (
            <>
              <h2>{t('chat:members.addTitle')}</h2>
              <form method="post" action={page} className="stack">
                <input type="hidden" name="intent" value="add" />
                <fieldset id={add.field('memberIds').id} tabIndex={-1}>
                  <legend>{t('chat:group.members')}</legend>
                  <ul className="checkbox-list">
                    {data.others.map((person) => (
                      <li key={person.id}>
                        <label>
                          <input type="checkbox" name="memberIds" value={person.id} /> {person.name}
                        </label>
                      </li>
                    ))}
                  </ul>
                </fieldset>
                <Button>{t('chat:members.add')}</Button>
              </form>
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
