import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { getEnv } from '~/platform/env.server';
import { notFound } from '~/platform/http-errors.server';
import { listDevMail } from '~/platform/mail/dev-inbox.server';
import { useFormat } from '~/platform/document-context';
import type { RouteHandle } from '~/platform/page-title';
import { EmptyState } from '~/ui/empty-state';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: () => 'Development inbox' };

/**
 * Development and tests only: the mail the app sent, as the local SMTP server received it.
 * In production this page does not exist. Not translated: it is a developer's tool.
 */
export async function loader(_args: LoaderFunctionArgs) {
  const env = getEnv();
  if (env.isProduction || env.SMTP_URL) throw notFound();
  const mail = await listDevMail(env.dataDir);
  return { mail: mail.map((message) => ({ ...message, date: message.date.toISOString() })) };
}

export default function DevMail() {
  const format = useFormat();
  const { mail } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Development inbox"
        description="Mail sent by this server, newest first. Only in development."
      />
      {mail.length === 0 ? (
        <EmptyState title="No mail yet" />
      ) : (
        <div className="mail-list">
          {mail.map((message) => (
            <article key={message.id} aria-labelledby={`mail-${message.id}`}>
              <h2 id={`mail-${message.id}`}>{message.subject}</h2>
              <p className="muted">
                To {message.to} ·{' '}
                <time dateTime={message.date}>{format.date(message.date, 'dateTime')}</time>
              </p>
              <pre>{message.text}</pre>
            </article>
          ))}
        </div>
      )}
    </>
  );
}
