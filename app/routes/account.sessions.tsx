import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import {
  describeDevice,
  listSessions,
  revokeSession,
  signOutOtherSessions,
} from '~/modules/accounts/account-settings.server';
import { requireSession } from '~/modules/accounts/session.server';
import { useFormat, useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { readForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { PageHeader } from '~/ui/page-header';
import { Table } from '~/ui/table';

export const handle: RouteHandle = { title: (t) => t('accounts:sessions.title') };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const sessions = await listSessions(session.user.id);
  return {
    sessions: sessions.map((row) => ({
      id: row.id,
      current: row.id === session.id,
      device: describeDevice(row.userAgent),
      ip: row.ip,
      createdAt: row.createdAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
    })),
  };
}

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('revoke'), sessionId: z.string().regex(/^[0-9a-f]{64}$/) }),
  z.object({ intent: z.literal('others') }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireSession(request, context);
  const parsed = actionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw badRequest();
  if (parsed.data.intent === 'others') {
    const count = await signOutOtherSessions(session.user.id, session.id);
    return redirectWithFlash('/account/sessions', {
      kind: 'success',
      key: 'accounts:sessions.othersSignedOut',
      values: { count },
    });
  }
  if (parsed.data.sessionId === session.id) throw badRequest();
  const revoked = await revokeSession(session.user.id, parsed.data.sessionId);
  return redirectWithFlash(
    '/account/sessions',
    revoked
      ? { kind: 'success', key: 'accounts:sessions.revoked' }
      : { kind: 'error', key: 'accounts:sessions.notFound' },
  );
}

export default function Sessions() {
  const t = useT();
  const format = useFormat();
  const { sessions } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={t('accounts:sessions.title')} description={t('accounts:sessions.intro')} />
      <Table
        caption={t('accounts:sessions.caption')}
        rows={sessions}
        rowKey={(row) => row.id}
        columns={[
          {
            header: t('accounts:sessions.columns.device'),
            rowHeader: true,
            cell: (row) => (
              <>
                {[row.device.browser, row.device.system]
                  .filter(Boolean)
                  .join(t('accounts:sessions.on')) || t('common:unknown')}
                {row.current ? (
                  <span className="badge"> {t('accounts:sessions.thisDevice')}</span>
                ) : null}
              </>
            ),
          },
          {
            header: t('accounts:sessions.columns.ip'),
            cell: (row) => row.ip ?? t('common:unknown'),
          },
          {
            header: t('accounts:sessions.columns.signedIn'),
            cell: (row) => (
              <time dateTime={row.createdAt}>{format.date(row.createdAt, 'dateTime')}</time>
            ),
          },
          {
            header: t('accounts:sessions.columns.lastSeen'),
            cell: (row) => <time dateTime={row.lastSeenAt}>{format.relative(row.lastSeenAt)}</time>,
          },
          {
            header: <span className="visually-hidden">{t('common:actions.label')}</span>,
            cell: (row) =>
              row.current ? null : (
                <form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="sessionId" value={row.id} />
                  <Button
                    variant="secondary"
                    small
                    aria-label={t('accounts:sessions.revokeLabel', {
                      device:
                        [row.device.browser, row.device.system]
                          .filter(Boolean)
                          .join(t('accounts:sessions.on')) || t('common:unknown'),
                      lastSeen: format.relative(row.lastSeenAt),
                    })}
                  >
                    {t('accounts:sessions.revoke')}
                  </Button>
                </form>
              ),
          },
        ]}
      />
      {sessions.length > 1 ? (
        <form method="post">
          <input type="hidden" name="intent" value="others" />
          <Button variant="danger">{t('accounts:sessions.signOutOthers')}</Button>
        </form>
      ) : null}
    </>
  );
}
