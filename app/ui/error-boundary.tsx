import { isRouteErrorResponse, useRouteError } from '@remix-run/react';
import { useDocument } from '~/platform/document-context';
import { StatusPage, statusMessageOf } from './status-page';

/**
 * Every route's error page: thrown Responses (403, 404, 429, 503…) by status, anything else as
 * a 500. In production no stack trace ever reaches the page; the log has it, by request id.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { production } = useDocument();
  if (isRouteErrorResponse(error)) {
    // A 429 says when to try again (rate-limit.server.ts puts it in the body).
    const retryAfterSeconds = (error.data as { retryAfterSeconds?: number } | null)
      ?.retryAfterSeconds;
    return (
      <StatusPage
        status={error.status}
        retryAfterSeconds={typeof retryAfterSeconds === 'number' ? retryAfterSeconds : undefined}
        message={statusMessageOf(error.data)}
      />
    );
  }
  const detail = !production && error instanceof Error ? (error.stack ?? error.message) : undefined;
  return <StatusPage status={500} detail={detail} />;
}
