import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { settingsSchema } from '~/modules/workspaces/schema';
import {
  deleteWorkspace,
  getWorkspaceSettings,
  PURGE_AFTER_DAYS,
  restoreWorkspace,
  updateWorkspaceSettings,
} from '~/modules/workspaces/workspaces.server';
import { useFormat, useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, TextField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('workspaces:settings.title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params, { allowDeleted: true });
  assertAllowed(workspacePolicy.editSettings(member.role));
  const settings = await getWorkspaceSettings(member.ctx);
  const purgeAt = settings.deletedAt
    ? new Date(settings.deletedAt.getTime() + PURGE_AFTER_DAYS * 86_400_000).toISOString()
    : null;
  return {
    slug: member.workspace.slug,
    settings: { name: settings.name, brandColor: settings.brandColor ?? '' },
    deleted: Boolean(settings.deletedAt),
    purgeAt,
    canDelete: workspacePolicy.deleteWorkspace(member.role),
  };
}

const intentSchema = z.enum(['update', 'delete', 'restore']);

const deleteConfirmationSchema = (slug: string) =>
  z.object({
    confirm: z
      .string({ error: 'workspaces:validation.confirmSlug' })
      .trim()
      .refine((typed) => typed.toLowerCase() === slug, 'workspaces:validation.confirmSlug'),
  });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params, { allowDeleted: true });
  assertAllowed(workspacePolicy.editSettings(member.role));
  const intent = intentSchema.safeParse((await readForm(request.clone())).get('intent'));
  if (!intent.success) throw badRequest();
  const here = `/w/${member.workspace.slug}/admin/settings`;
  if (intent.data === 'delete') {
    assertAllowed(workspacePolicy.deleteWorkspace(member.role));
    // Asked twice: the owner types the workspace's web address.
    const submission = await parseForm(request, deleteConfirmationSchema(member.workspace.slug));
    if (submission.status !== 'success') {
      const failed = invalidForm(submission);
      return data(
        { intent: 'delete' as const, result: failed.data.result },
        failed.init ?? undefined,
      );
    }
    await deleteWorkspace(member.ctx);
    return redirectWithFlash(here, {
      kind: 'info',
      key: 'workspaces:settings.deleted',
      values: { days: PURGE_AFTER_DAYS },
    });
  }
  if (intent.data === 'restore') {
    assertAllowed(workspacePolicy.deleteWorkspace(member.role));
    await restoreWorkspace(member.ctx);
    return redirectWithFlash(`/w/${member.workspace.slug}`, {
      kind: 'success',
      key: 'workspaces:settings.restored',
    });
  }
  if (member.workspace.deletedAt) throw redirect(here, 303);
  const submission = await parseForm(request, settingsSchema);
  if (submission.status !== 'success') return invalidForm(submission);
  await updateWorkspaceSettings(member.ctx, submission.value);
  return redirectWithFlash(here, { kind: 'success', key: 'workspaces:settings.saved' });
}

export default function Settings() {
  const t = useT();
  const format = useFormat();
  const { slug, settings, deleted, purgeAt, canDelete } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as
    { intent?: 'delete'; result?: FormResult } | undefined;
  const form = useFormState(
    'settings',
    actionData?.intent === 'delete' ? undefined : actionData?.result,
    settings,
  );
  const deletion = useFormState(
    'delete-workspace',
    actionData?.intent === 'delete' ? actionData.result : undefined,
  );
  if (deleted) {
    return (
      <>
        <PageHeader title={t('workspaces:settings.title')} />
        <p>
          {t('workspaces:settings.deletedIntro', { date: purgeAt ? format.date(purgeAt) : '' })}
        </p>
        {canDelete ? (
          <form method="post">
            <input type="hidden" name="intent" value="restore" />
            <Button>{t('workspaces:settings.restore')}</Button>
          </form>
        ) : null}
      </>
    );
  }
  return (
    <>
      <PageHeader title={t('workspaces:settings.title')} />
      <ErrorSummary form={form} />
      <form method="post" id={form.formId} noValidate>
        <input type="hidden" name="intent" value="update" />
        <TextField field={form.field('name')} label={t('workspaces:fields.name')} required />
        <TextField
          field={form.field('brandColor')}
          label={t('workspaces:fields.brandColor')}
          hint={t('workspaces:settings.brandHint')}
          type="text"
          spellCheck={false}
          placeholder="#3347c4"
        />
        <Button>{t('common:actions.save')}</Button>
      </form>
      <p>
        <a href={`/w/${slug}/admin/logo`}>{t('files:logo.link')}</a>
      </p>
      {canDelete ? (
        <section aria-labelledby="delete-title">
          <h2 id="delete-title">{t('workspaces:settings.deleteTitle')}</h2>
          <p>{t('workspaces:settings.deleteIntro', { days: PURGE_AFTER_DAYS })}</p>
          <ErrorSummary form={deletion} />
          <form method="post" id={deletion.formId} noValidate>
            <input type="hidden" name="intent" value="delete" />
            <TextField
              field={deletion.field('confirm')}
              label={t('workspaces:settings.confirmLabel', { slug })}
              spellCheck={false}
              autoComplete="off"
              autoCapitalize="none"
              required
            />
            <Button variant="danger">{t('workspaces:settings.delete')}</Button>
          </form>
        </section>
      ) : null}
    </>
  );
}
