import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { FileFilters, FileTable, StorageMeter, UploadForm } from '~/modules/files/components';
import {
  FILES_PAGE_SIZE,
  largestFiles,
  listFiles,
  listUploaders,
  saveUpload,
  workspaceStorage,
} from '~/modules/files/files.server';
import { fileOwnerKinds, libraryOwner } from '~/modules/files/owners.server';
import { fileFiltersFromUrl } from '~/modules/files/schema';
import { uploadProblems } from '~/modules/files/upload-form.server';
import { megabytes } from '~/modules/files/quota.server';
import { receiveUpload } from '~/modules/files/upload.server';
import { projectFilesOwner } from '~/modules/projects/project-files.server';
import { projectsToContributeTo } from '~/modules/projects/projects.server';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { roleAtLeast } from '~/modules/workspaces/roles';
import { useT } from '~/platform/document-context';
import { getEnv } from '~/platform/env.server';
import { redirectWithFlash } from '~/platform/flash.server';
import { isUuid } from '~/platform/http-errors.server';
import { MAX_FILES_PER_UPLOAD } from '~/platform/forms.server';
import type { RouteHandle } from '~/platform/page-title';
import { EmptyState } from '~/ui/empty-state';
import { useFormState, type FormResult } from '~/ui/form';
import { PageHeader } from '~/ui/page-header';
import { Pagination } from '~/ui/pagination';

export const handle: RouteHandle = { title: (t) => t('files:title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const filters = fileFiltersFromUrl(new URL(request.url));
  const isAdmin = roleAtLeast(member.role, 'admin');
  const [files, uploaders, storage, largest, projects] = await Promise.all([
    listFiles(member, filters),
    listUploaders(member),
    workspaceStorage(member),
    isAdmin ? largestFiles(member) : Promise.resolve([]),
    projectsToContributeTo(member),
  ]);
  return {
    slug: member.workspace.slug,
    filters,
    files: files.rows,
    total: files.total,
    pageCount: Math.max(1, Math.ceil(files.total / FILES_PAGE_SIZE)),
    uploaders,
    owners: fileOwnerKinds().map((owner) => owner.kind),
    storage,
    largest,
    projects,
    // Guests read where they are invited; adding files is for members (projectPolicy too).
    canUpload: roleAtLeast(member.role, 'member'),
    limitMb: megabytes(getEnv().FILE_MAX_BYTES),
    maxFiles: MAX_FILES_PER_UPLOAD,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  // Refused before a byte is stored.
  assertAllowed(roleAtLeast(member.role, 'member'));
  const upload = await receiveUpload(request, member.workspace.id);
  // "Where": the workspace's files, or a project (whose rules attachFiles applies).
  const where = upload.form.get('where');
  const owner =
    typeof where === 'string' && isUuid(where)
      ? { kind: projectFilesOwner.kind, id: where.toLowerCase() }
      : { kind: libraryOwner.kind, id: member.workspace.id };
  const saved = await saveUpload(member, owner, upload);
  if (!saved.ok) return uploadProblems('files', saved.problems, upload.form);
  return redirectWithFlash(`/w/${member.workspace.slug}/files`, {
    kind: 'success',
    key: 'files:uploaded',
    values: { count: saved.fileIds.length },
  });
}

export default function Files() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const form = useFormState(
    'upload',
    (useActionData<typeof action>() as { result?: FormResult })?.result,
  );
  const base = `/w/${data.slug}/files`;
  return (
    <>
      <PageHeader
        title={t('files:title')}
        description={t('files:count', { count: data.total })}
        actions={<a href={`${base}/trash`}>{t('files:trash.link')}</a>}
      />
      <StorageMeter usedBytes={data.storage.usedBytes} quotaBytes={data.storage.quotaBytes} />

      {data.canUpload ? (
        <section aria-labelledby="upload-title">
          <h2 id="upload-title">{t('files:upload.title')}</h2>
          <UploadForm form={form} label={t('files:upload.label')} limits={data}>
            {data.projects.length > 0 ? (
              <div className="field">
                <label htmlFor="upload-where">{t('files:upload.where')}</label>
                <select id="upload-where" name="where" defaultValue="library">
                  <option value="library">{t('files:owners.library')}</option>
                  {data.projects.map((project) => (
                    <option key={project.id} value={project.id}>
                      {t('files:upload.intoProject', { name: project.name })}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
          </UploadForm>
        </section>
      ) : null}

      <FileFilters
        filters={data.filters}
        owners={data.owners}
        uploaders={data.uploaders}
        label={t('files:filters.label')}
      />
      {data.files.length === 0 ? (
        <EmptyState title={t('files:none')} />
      ) : (
        <FileTable files={data.files} base={base} caption={t('files:caption')} />
      )}
      <Pagination page={data.filters.page} pageCount={data.pageCount} search={search} />

      {data.largest.length > 0 ? (
        <section aria-labelledby="largest-title">
          <h2 id="largest-title">{t('files:largest.title')}</h2>
          <p className="muted">{t('files:largest.intro')}</p>
          <FileTable files={data.largest} base={base} caption={t('files:largest.caption')} />
        </section>
      ) : null}
    </>
  );
}
