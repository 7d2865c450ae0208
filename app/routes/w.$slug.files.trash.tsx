import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData, useLocation } from '@remix-run/react';
import { FileTable } from '~/modules/files/components';
import {
  canManageFile,
  FILES_PAGE_SIZE,
  listFiles,
  TRASH_DAYS,
} from '~/modules/files/files.server';
import { fileFiltersFromUrl } from '~/modules/files/schema';
import { requireMember } from '~/modules/workspaces/queries.server';
import { useFormat, useT } from '~/platform/document-context';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { EmptyState } from '~/ui/empty-state';
import { PageHeader } from '~/ui/page-header';
import { Pagination } from '~/ui/pagination';

export const handle: RouteHandle = { title: (t) => t('files:trash.title') };

/** Deleted files, each restorable until the purge takes it 30 days after its deletion. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const filters = fileFiltersFromUrl(new URL(request.url), { trash: true });
  const files = await listFiles(member, filters);
  return {
    slug: member.workspace.slug,
    page: filters.page,
    pageCount: Math.max(1, Math.ceil(files.total / FILES_PAGE_SIZE)),
    files: files.rows.map((file) => ({
      ...file,
      purgeAt: new Date(
        new Date(file.deletedAt!).getTime() + TRASH_DAYS * 86_400_000,
      ).toISOString(),
      canRestore: canManageFile(member, file),
    })),
  };
}

export default function Trash() {
  const t = useT();
  const format = useFormat();
  const data = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const base = `/w/${data.slug}/files`;
  return (
    <>
      <PageHeader
        title={t('files:trash.title')}
        description={t('files:trash.intro', { count: TRASH_DAYS })}
        actions={<a href={base}>{t('files:trash.back')}</a>}
      />
      {data.files.length === 0 ? (
        <EmptyState title={t('files:trash.none')} />
      ) : (
        <FileTable
          files={data.files}
          base={base}
          caption={t('files:trash.caption')}
          actions={(row) => (
            <div className="button-row">
              <span className="muted">
                {t('files:trash.purgeOn', { date: format.date(row.purgeAt) })}
              </span>
              {row.canRestore ? (
                <form method="post" action={`${base}/${row.id}`} className="inline-form">
                  <input type="hidden" name="intent" value="restore" />
                  <Button
                    variant="secondary"
                    small
                    aria-label={t('files:trash.restoreLabel', { name: row.name })}
                  >
                    {t('files:trash.restore')}
                  </Button>
                </form>
              ) : null}
            </div>
          )}
        />
      )}
      <Pagination page={data.page} pageCount={data.pageCount} search={search} />
    </>
  );
}
