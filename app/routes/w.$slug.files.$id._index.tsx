import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { recordAudit } from '~/modules/audit/record.server';
import { OwnerLabel } from '~/modules/files/components';
import { withStoreErrors } from '~/modules/files/download.server';
import {
  canManageFile,
  findVisibleFile,
  renameFile,
  restoreFile,
  trashFile,
  TRASH_DAYS,
} from '~/modules/files/files.server';
import { imageTypes } from '~/modules/files/detect-type.server';
import { linkDays, linkSchema, renameSchema } from '~/modules/files/schema';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useFormat, useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { invalidForm, parseForm, readForm } from '~/platform/forms.server';
import { badRequest, notFound } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { getFileStore } from '~/platform/storage/store.server';
import { Button, buttonClass } from '~/ui/button';
import { DescriptionList } from '~/ui/description-list';
import { ErrorSummary, SelectField, TextField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';
import { uuidParam } from '~/platform/http-errors.server';

export const handle: RouteHandle = {
  title: (t, data) =>
    (data as { file?: { name: string } } | undefined)?.file?.name ?? t('files:title'),
};

async function loadFile(
  request: Request,
  context: LoaderFunctionArgs['context'],
  params: LoaderFunctionArgs['params'],
) {
  const member = await requireMember(request, context, params);
  const fileId = uuidParam(params.id);
  const file = await withWorkspace(member.ctx, (trx) => findVisibleFile(trx, member, fileId));
  if (!file) throw notFound();
  return { member, file };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { member, file } = await loadFile(request, context, params);
  return {
    slug: member.workspace.slug,
    file: {
      id: file.id,
      name: file.name,
      sizeBytes: file.sizeBytes,
      contentType: file.contentType,
      typeGroup: file.typeGroup,
      ownerKind: file.ownerKind,
      ownerName: file.ownerName,
      uploaderName: file.uploaderName,
      createdAt: file.createdAt.toISOString(),
      deletedAt: file.deletedAt?.toISOString() ?? null,
      sha256: file.sha256,
      hasThumbnail: file.thumbnailKey !== null,
      isImage: imageTypes.has(file.contentType),
    },
    purgeAt: file.deletedAt
      ? new Date(file.deletedAt.getTime() + TRASH_DAYS * 86_400_000).toISOString()
      : null,
    canManage: canManageFile(member, file),
  };
}

const intentSchema = z.enum(['rename', 'delete', 'restore', 'link']);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { member, file } = await loadFile(request, context, params);
  const intent = intentSchema.safeParse((await readForm(request.clone())).get('intent'));
  if (!intent.success) throw badRequest();
  const here = `/w/${member.workspace.slug}/files/${file.id}`;

  if (intent.data === 'link') {
    // Anyone who may see the file may hand it on for a while; the log says who did.
    const submission = await parseForm(request, linkSchema);
    if (submission.status !== 'success') throw badRequest();
    if (file.deletedAt) throw badRequest();
    const days = submission.value.days;
    const url = await withStoreErrors(() =>
      getFileStore().signedUrl(file.storeKey, {
        expiresInSeconds: days * 86_400,
        downloadName: file.name,
      }),
    );
    await withWorkspace(member.ctx, (trx) =>
      recordAudit(trx, {
        action: 'file.link_created',
        workspaceId: member.ctx.workspaceId,
        actorId: member.ctx.userId,
        target: { type: 'file', id: file.id },
        changes: { name: file.name, days },
      }),
    );
    return data({ intent: 'link' as const, link: { url, days } });
  }

  assertAllowed(canManageFile(member, file));
  if (intent.data === 'rename') {
    const submission = await parseForm(request, renameSchema);
    if (submission.status !== 'success') {
      const failed = invalidForm(submission);
      return data(
        { intent: 'rename' as const, result: failed.data.result },
        failed.init ?? undefined,
      );
    }
    await withWorkspace(member.ctx, (trx) => renameFile(trx, member, file, submission.value.name));
    return redirectWithFlash(here, { kind: 'success', key: 'files:detail.renamed' });
  }
  if (intent.data === 'delete') {
    await withWorkspace(member.ctx, (trx) => trashFile(trx, member, file));
    return redirectWithFlash(`/w/${member.workspace.slug}/files`, {
      kind: 'success',
      key: 'files:detail.deleted',
      values: { name: file.name, count: TRASH_DAYS },
    });
  }
  await withWorkspace(member.ctx, (trx) => restoreFile(trx, member, file));
  return redirectWithFlash(here, {
    kind: 'success',
    key: 'files:detail.restored',
    values: { name: file.name },
  });
}

export default function FilePage() {
  const t = useT();
  const format = useFormat();
  const { slug, file, purgeAt, canManage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as
    | { intent: 'rename'; result?: FormResult }
    | { intent: 'link'; link: { url: string; days: number } }
    | undefined;
  const rename = useFormState(
    'rename',
    actionData?.intent === 'rename' ? actionData.result : undefined,
    { name: file.name },
  );
  const link = useFormState('link', undefined, { days: '7' });
  const base = `/w/${slug}/files/${file.id}`;
  return (
    <>
      <PageHeader
        title={file.name}
        actions={<a href={`/w/${slug}/files`}>{t('files:detail.back')}</a>}
      />
      {file.deletedAt ? (
        <div className="flash flash--info" role="status">
          {t('files:detail.inTrash', { date: format.date(purgeAt!) })}
        </div>
      ) : null}

      {file.hasThumbnail ? (
        <p>
          <img
            className="file-preview"
            src={`${base}/thumbnail`}
            alt={t('files:detail.previewAlt', { name: file.name })}
          />
        </p>
      ) : null}

      <DescriptionList
        items={[
          {
            term: t('files:fields.type'),
            detail: `${t(`files:types.${file.typeGroup}` as never) as string} (${file.contentType})`,
          },
          { term: t('files:fields.size'), detail: format.bytes(file.sizeBytes) },
          {
            term: t('files:fields.attachedTo'),
            detail: <OwnerLabel kind={file.ownerKind} name={file.ownerName} />,
          },
          {
            term: t('files:fields.uploadedBy'),
            detail: file.uploaderName ?? t('common:deletedUser'),
          },
          {
            term: t('files:fields.uploadedAt'),
            detail: (
              <time dateTime={file.createdAt}>{format.date(file.createdAt, 'dateTime')}</time>
            ),
          },
          {
            term: t('files:fields.checksum'),
            detail: <code className="mono break">{file.sha256}</code>,
          },
        ]}
      />

      {file.deletedAt ? (
        canManage ? (
          <form method="post">
            <input type="hidden" name="intent" value="restore" />
            <Button>{t('files:trash.restore')}</Button>
          </form>
        ) : null
      ) : (
        <>
          <p className="button-row">
            <a
              className={buttonClass()}
              href={`${base}/download`}
              download={file.name}
              hx-boost="false"
            >
              {t('files:detail.download')}
            </a>
            {file.isImage ? (
              <a
                className={buttonClass('secondary')}
                href={`${base}/download?inline=1`}
                hx-boost="false"
              >
                {t('files:detail.open')}
              </a>
            ) : null}
          </p>

          <section aria-labelledby="link-title">
            <h2 id="link-title">{t('files:link.title')}</h2>
            <p>{t('files:link.intro')}</p>
            {actionData?.intent === 'link' ? (
              <div className="field" role="status">
                <label htmlFor="link-url">
                  {t('files:link.ready', { count: actionData.link.days })}
                </label>
                <input
                  id="link-url"
                  type="url"
                  readOnly
                  value={actionData.link.url}
                  className="mono"
                />
              </div>
            ) : null}
            <form method="post" id={link.formId}>
              <input type="hidden" name="intent" value="link" />
              <SelectField
                field={link.field('days')}
                label={t('files:link.days')}
                options={linkDays.map((days) => ({
                  value: String(days),
                  label: t('files:link.forDays', { count: days }),
                }))}
              />
              <Button variant="secondary">{t('files:link.create')}</Button>
            </form>
          </section>

          {canManage ? (
            <>
              <section aria-labelledby="rename-title">
                <h2 id="rename-title">{t('files:detail.renameTitle')}</h2>
                <ErrorSummary form={rename} />
                <form method="post" id={rename.formId} noValidate>
                  <input type="hidden" name="intent" value="rename" />
                  <TextField
                    field={rename.field('name')}
                    label={t('files:fields.name')}
                    maxLength={255}
                    required
                  />
                  <Button>{t('files:detail.rename')}</Button>
                </form>
              </section>
              <section aria-labelledby="delete-title">
                <h2 id="delete-title">{t('files:detail.deleteTitle')}</h2>
                <p>{t('files:detail.deleteIntro', { count: TRASH_DAYS })}</p>
                <form method="post">
                  <input type="hidden" name="intent" value="delete" />
                  <Button variant="danger">{t('files:detail.delete')}</Button>
                </form>
              </section>
            </>
          ) : null}
        </>
      )}
    </>
  );
}
