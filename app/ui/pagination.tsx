import { useT } from '~/platform/document-context';

/**
 * Previous / next links that keep every other query parameter (filters survive paging).
 * `page` is 1-based.
 */
export function Pagination({
  page,
  pageCount,
  search,
}: {
  page: number;
  pageCount: number;
  search: string;
}) {
  const t = useT();
  if (pageCount <= 1) return null;
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(search);
    params.set('page', String(target));
    return `?${params}`;
  };
  return (
    <nav className="pagination" aria-label={t('pagination.label')}>
      <ul>
        {page > 1 ? (
          <li>
            <a href={hrefFor(page - 1)} rel="prev">
              {t('pagination.previous')}
            </a>
          </li>
        ) : null}
        <li>{t('pagination.status', { page, pageCount })}</li>
        {page < pageCount ? (
          <li>
            <a href={hrefFor(page + 1)} rel="next">
              {t('pagination.next')}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** Reads ?page= safely: anything odd is page 1. */
export function pageFromUrl(url: URL): number {
  const page = Number(url.searchParams.get('page'));
  return Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1;
}
