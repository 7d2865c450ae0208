import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { currentLogo, removeLogo, replaceLogo } from '~/modules/files/logo.server';
import { uploadProblems } from '~/modules/files/upload-form.server';
import { megabytes } from '~/modules/files/quota.server';
import { receiveUpload } from '~/modules/files/upload.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { useT } from '~/platform/document-context';
import { getEnv } from '~/platform/env.server';
import { redirectWithFlash } from '~/platform/flash.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { ErrorSummary, FileField, useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('files:logo.title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.editSettings(member.role));
  const logo = await currentLogo(member);
  return {
    slug: member.workspace.slug,
    logo: logo ? { id: logo.id, name: logo.name } : null,
    limitMb: megabytes(getEnv().FILE_MAX_BYTES),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.editSettings(member.role));
  const here = `/w/${member.workspace.slug}/admin/logo`;
  const upload = await receiveUpload(request, member.workspace.id);
  if (upload.form.get('intent') === 'remove') {
    await upload.discard();
    await removeLogo(member);
    return redirectWithFlash(here, { kind: 'success', key: 'files:logo.removed' });
  }
  const replaced = await replaceLogo(member, upload);
  if (!replaced.ok) return uploadProblems('logo', replaced.problems, upload.form);
  return redirectWithFlash(here, { kind: 'success', key: 'files:logo.changed' });
}

export default function Logo() {
  const t = useT();
  const { slug, logo, limitMb } = useLoaderData<typeof loader>();
  const form = useFormState(
    'logo-form',
    (useActionData<typeof action>() as { result?: FormResult })?.result,
  );
  return (
    <>
      <PageHeader
        title={t('files:logo.title')}
        description={t('files:logo.intro')}
        actions={<a href={`/w/${slug}/admin/settings`}>{t('files:logo.back')}</a>}
      />
      {logo ? (
        <>
          <p>
            <img
              className="file-preview"
              src={`/w/${slug}/logo?v=${logo.id}`}
              alt={t('files:logo.currentAlt')}
            />
          </p>
          <form method="post" encType="multipart/form-data">
            <input type="hidden" name="intent" value="remove" />
            <Button variant="secondary">{t('files:logo.remove')}</Button>
          </form>
        </>
      ) : (
        <p className="muted">{t('files:logo.none')}</p>
      )}
      <h2 id="logo-upload-title">{t('files:logo.uploadTitle')}</h2>
      <ErrorSummary form={form} />
      <form
        method="post"
        encType="multipart/form-data"
        id={form.formId}
        noValidate
        aria-labelledby="logo-upload-title"
      >
        <FileField
          field={form.field('logo')}
          label={t('files:logo.label')}
          hint={t('files:logo.hint', { limit: limitMb })}
          accept="image/png,image/jpeg,image/webp,image/gif"
          required
        />
        <Button>{t('files:logo.submit')}</Button>
      </form>
    </>
  );
}
