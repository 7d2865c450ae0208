import { useT } from '~/platform/document-context';

export const knownStatuses = [400, 403, 404, 405, 410, 413, 429, 500, 503] as const;
export type KnownStatus = (typeof knownStatuses)[number];

export function toKnownStatus(status: number): KnownStatus {
  if ((knownStatuses as readonly number[]).includes(status)) return status as KnownStatus;
  return status >= 500 ? 500 : 400;
}

/** Why, when the refusal said (http-errors.server.ts `refusal`): a translation key and values. */
export type StatusMessage = { message: string; values: Record<string, string | number> };

/** The message a thrown refusal carried, if its body was one. */
export function statusMessageOf(data: unknown): StatusMessage | undefined {
  const candidate = data as Partial<StatusMessage> | null;
  if (typeof candidate?.message !== 'string' || !/^[a-z]+:[\w.]+$/.test(candidate.message))
    return undefined;
  return { message: candidate.message, values: candidate.values ?? {} };
}

/** The body of every error page: a translated title, what happened, and a way on. */
export function StatusPage({
  status,
  detail,
  retryAfterSeconds,
  message,
}: {
  status: number;
  detail?: string;
  retryAfterSeconds?: number;
  message?: StatusMessage;
}) {
  const t = useT();
  const known = toKnownStatus(status);
  return (
    <div className="narrow">
      <h1>{t(`errors.${known}.title`)}</h1>
      <p>
        {message
          ? (t(message.message as never, {
              ...message.values,
              defaultValue: t(`errors.${known}.body`),
            }) as string)
          : t(`errors.${known}.body`)}
      </p>
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
