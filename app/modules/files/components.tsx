import type { ReactNode } from 'react';
import { useFormat, useT } from '~/platform/document-context';
import { Button } from '~/ui/button';
import { ErrorSummary, FileField, type FormState } from '~/ui/form';
import { Table } from '~/ui/table';
import { typeGroups, type FileFilters as Filters } from './schema';

type FileRow = {
  id: string;
  name: string;
  sizeBytes: number;
  typeGroup: string;
  ownerKind: string;
  ownerName: string | null;
  uploaderName: string | null;
  createdAt: string | Date;
  deletedAt: string | Date | null;
  hasThumbnail: boolean;
};

/** The workspace's storage against its quota, as a meter with the numbers in words. */
export function StorageMeter({ usedBytes, quotaBytes }: { usedBytes: number; quotaBytes: number }) {
  const t = useT();
  const format = useFormat();
  const text = t('files:storage.usage', {
    used: format.bytes(usedBytes),
    quota: format.bytes(quotaBytes),
  });
  return (
    <p className="storage">
      <label htmlFor="storage-meter">{t('files:storage.label')}</label>{' '}
      <meter
        id="storage-meter"
        min={0}
        max={quotaBytes || 1}
        high={quotaBytes * 0.9}
        value={usedBytes}
        aria-valuetext={text}
      >
        {text}
      </meter>{' '}
      <span>{text}</span>
    </p>
  );
}

/** A file's small picture: its thumbnail when it has one, else nothing (the type is in words). */
export function FileThumbnail({
  base,
  file,
}: {
  base: string;
  file: Pick<FileRow, 'id' | 'hasThumbnail'>;
}) {
  if (!file.hasThumbnail) return null;
  // Decorative beside the file's name, which is the link: alt="" so it is not read twice.
  return (
    <img
      className="file-thumbnail"
      src={`${base}/${file.id}/thumbnail`}
      alt=""
      width={48}
      height={48}
      loading="lazy"
    />
  );
}

export function FileTable<Row extends FileRow>({
  files,
  base,
  caption,
  actions,
}: {
  files: Row[];
  base: string;
  caption: string;
  /** A last column of buttons (restore from the trash). */
  actions?: (row: Row) => ReactNode;
}) {
  const t = useT();
  const format = useFormat();
  return (
    <Table
      caption={caption}
      rows={files}
      rowKey={(row) => row.id}
      columns={[
        {
          header: t('files:fields.name'),
          rowHeader: true,
          cell: (row) => (
            <span className="file-name">
              <FileThumbnail base={base} file={row} />
              <a href={`${base}/${row.id}`}>{row.name}</a>
              {row.deletedAt ? <span className="badge">{t('files:trash.badge')}</span> : null}
            </span>
          ),
        },
        {
          header: t('files:fields.attachedTo'),
          cell: (row) => <OwnerLabel kind={row.ownerKind} name={row.ownerName} />,
        },
        {
          header: t('files:fields.type'),
          cell: (row) => t(`files:types.${row.typeGroup}` as never) as string,
        },
        {
          header: t('files:fields.size'),
          numeric: true,
          cell: (row) => format.bytes(row.sizeBytes),
        },
        {
          header: t('files:fields.uploadedBy'),
          cell: (row) => row.uploaderName ?? t('common:deletedUser'),
        },
        {
          header: t('files:fields.uploadedAt'),
          cell: (row) => (
            <time dateTime={new Date(row.createdAt).toISOString()}>
              {format.date(row.createdAt)}
            </time>
          ),
        },
        ...(actions
          ? [
              {
                header: <span className="visually-hidden">{t('common:actions.label')}</span>,
                cell: actions,
              },
            ]
          : []),
      ]}
    />
  );
}

/** What a file is attached to: "Project: Website relaunch", or the kind's own name. */
export function OwnerLabel({ kind, name }: { kind: string; name: string | null }) {
  const t = useT();
  const label = t(`files:owners.${kind}` as never) as string;
  return <>{name ? `${label}: ${name}` : label}</>;
}

/** Filters and sort as a GET form: every view is a URL that can be bookmarked or shared. */
export function FileFilters({
  filters,
  owners,
  uploaders,
  label,
}: {
  filters: Filters;
  owners: string[];
  uploaders: Array<{ id: string; name: string | null }>;
  label: string;
}) {
  const t = useT();
  return (
    <form method="get" className="filters" role="search" aria-label={label}>
      <div className="field">
        <label htmlFor="files-q">{t('files:filters.search')}</label>
        <input id="files-q" name="q" type="search" defaultValue={filters.q ?? ''} />
      </div>
      <div className="field">
        <label htmlFor="files-owner">{t('files:fields.attachedTo')}</label>
        <select id="files-owner" name="owner" defaultValue={filters.owner ?? ''}>
          <option value="">{t('files:filters.anywhere')}</option>
          {owners.map((owner) => (
            <option key={owner} value={owner}>
              {t(`files:owners.${owner}` as never) as string}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="files-type">{t('files:fields.type')}</label>
        <select id="files-type" name="type" defaultValue={filters.type ?? ''}>
          <option value="">{t('files:filters.anyType')}</option>
          {typeGroups.map((group) => (
            <option key={group} value={group}>
              {t(`files:types.${group}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="files-uploader">{t('files:fields.uploadedBy')}</label>
        <select id="files-uploader" name="uploader" defaultValue={filters.uploader ?? ''}>
          <option value="">{t('files:filters.anyone')}</option>
          {uploaders.map((uploader) => (
            <option key={uploader.id} value={uploader.id}>
              {uploader.name ?? t('common:deletedUser')}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="files-sort">{t('files:filters.sort')}</label>
        <select id="files-sort" name="sort" defaultValue={filters.sort}>
          <option value="date">{t('files:filters.byDate')}</option>
          <option value="name">{t('files:filters.byName')}</option>
          <option value="size">{t('files:filters.bySize')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="files-direction">{t('files:filters.direction')}</label>
        <select id="files-direction" name="direction" defaultValue={filters.direction}>
          <option value="desc">{t('files:filters.descending')}</option>
          <option value="asc">{t('files:filters.ascending')}</option>
        </select>
      </div>
      <Button variant="secondary">{t('common:actions.filter')}</Button>
    </form>
  );
}

/**
 * The upload form every page that takes files uses: its error summary, any fields of the
 * page's own (where to upload), the file field with its limits, and the button. Works as a
 * plain multipart post; the page's action calls receiveUpload and saveUpload.
 */
export function UploadForm({
  form,
  label,
  limits,
  children,
}: {
  form: FormState;
  label: string;
  limits: { maxFiles: number; limitMb: number };
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <>
      <ErrorSummary form={form} />
      <form method="post" encType="multipart/form-data" id={form.formId} noValidate>
        {children}
        <FileField
          field={form.field('files')}
          label={label}
          hint={t('files:upload.hint', { count: limits.maxFiles, limit: limits.limitMb })}
          multiple
          required
        />
        <Button>{t('files:upload.submit')}</Button>
      </form>
    </>
  );
}
