import { useFormat, useT } from '~/platform/document-context';
import { Table } from '~/ui/table';

export type AuditRow = {
  id: string;
  action: string;
  actor: string;
  target: string | null;
  ip: string | null;
  changes: string;
  createdAt: string;
};

/** The log as a table: when, who, what, on what, from where. */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  const t = useT();
  const format = useFormat();
  return (
    <Table
      caption={t('audit:caption')}
      rows={rows}
      rowKey={(row) => row.id}
      columns={[
        {
          header: t('audit:columns.when'),
          rowHeader: true,
          cell: (row) => (
            <time dateTime={row.createdAt}>{format.date(row.createdAt, 'dateTime')}</time>
          ),
        },
        { header: t('audit:columns.actor'), cell: (row) => row.actor },
        {
          header: t('audit:columns.action'),
          cell: (row) => t(`audit:actions.${row.action}` as never) as string,
        },
        { header: t('audit:columns.target'), cell: (row) => row.target ?? '' },
        {
          header: t('audit:columns.details'),
          cell: (row) => row.changes,
        },
        { header: t('audit:columns.ip'), cell: (row) => row.ip ?? '' },
      ]}
    />
  );
}
