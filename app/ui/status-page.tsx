import { useT } from '~/platform/document-context';

export const knownStatuses = [400, 403, 404, 405, 413, 429, 500, 503] as const;
export type KnownStatus = (typeof knownStatuses)[number];

export function toKnownStatus(status: number): KnownStatus {
  if ((knownStatuses as readonly number[]).includes(status)) return status as KnownStatus;
  return status >= 500 ? 500 : 400;
}

/** The body of every error page: a translated title, what happened, and a way on. */
export function StatusPage({
  status,
  detail,
  retryAfterSeconds,
}: {
  status: number;
  detail?: string;
  retryAfterSeconds?: number;
}) {
  const t = useT();
  const known = toKnownStatus(status);
  return (
    <div className="narrow">
      <h1>{t(`errors.${known}.title`)}</h1>
      <p>{t(`errors.${known}.body`)}</p>
      {known === 429 && retryAfterSeconds ? (
        <p>{t('errors.429.retryIn', { count: Math.ceil(retryAfterSeconds / 60) })}</p>
      ) : null}
      {detail ? <pre className="mono">{detail}</pre> : null}
      <p>
        <a href="/">{t('errors.home')}</a>
      </p>
    </div>
  );
}
