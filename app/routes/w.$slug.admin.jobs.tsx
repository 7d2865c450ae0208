import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { listJobFailures, retryJob } from '~/modules/workspaces/jobs.server';
import { workspacePolicy } from '~/modules/workspaces/policy';
import { assertAllowed, requireMember } from '~/modules/workspaces/queries.server';
import { useFormat, useT } from '~/platform/document-context';
import { redirectWithFlash } from '~/platform/flash.server';
import { readForm } from '~/platform/forms.server';
import { badRequest } from '~/platform/http-errors.server';
import type { RouteHandle } from '~/platform/page-title';
import { Button } from '~/ui/button';
import { EmptyState } from '~/ui/empty-state';
import { PageHeader } from '~/ui/page-header';
import { Table } from '~/ui/table';

export const handle: RouteHandle = { title: (t) => t('workspaces:jobs.title') };

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.viewJobFailures(member.role));
  const failures = await listJobFailures(member.ctx);
  return {
    failures: failures.map((job) => ({
      id: String(job.id),
      task: job.task,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      lastError: job.lastError,
      gaveUp: job.attempts >= job.maxAttempts,
      runAt: job.runAt.toISOString(),
    })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const member = await requireMember(request, context, params);
  assertAllowed(workspacePolicy.viewJobFailures(member.role));
  const jobId = String((await readForm(request)).get('jobId') ?? '');
  if (!/^\d{1,18}$/.test(jobId)) throw badRequest();
  const retried = await retryJob(member.ctx, jobId);
  return redirectWithFlash(
    `/w/${member.workspace.slug}/admin/jobs`,
    retried
      ? { kind: 'success', key: 'workspaces:jobs.retried' }
      : { kind: 'error', key: 'workspaces:jobs.notRetried' },
  );
}

export default function Jobs() {
  const t = useT();
  const format = useFormat();
  const { failures } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={t('workspaces:jobs.title')} description={t('workspaces:jobs.intro')} />
      {failures.length === 0 ? (
        <EmptyState title={t('workspaces:jobs.none')} />
      ) : (
        <Table
          caption={t('workspaces:jobs.caption')}
          rows={failures}
          rowKey={(row) => row.id}
          columns={[
            {
              header: t('workspaces:jobs.columns.task'),
              rowHeader: true,
              cell: (row) =>
                t(`workspaces:jobs.tasks.${row.task}` as never, {
                  defaultValue: row.task,
                }) as string,
            },
            {
              header: t('workspaces:jobs.columns.attempts'),
              numeric: true,
              cell: (row) => `${row.attempts} / ${row.maxAttempts}`,
            },
            {
              header: t('workspaces:jobs.columns.state'),
              cell: (row) =>
                row.gaveUp
                  ? t('workspaces:jobs.gaveUp')
                  : t('workspaces:jobs.retrying', { when: format.relative(row.runAt) }),
            },
            {
              header: t('workspaces:jobs.columns.error'),
              cell: (row) => <code className="mono">{row.lastError?.split('\n')[0] ?? ''}</code>,
            },
            {
              header: <span className="visually-hidden">{t('common:actions.label')}</span>,
              cell: (row) => (
                <form method="post" className="inline-form">
                  <input type="hidden" name="jobId" value={row.id} />
                  <Button
                    variant="secondary"
                    small
                    aria-label={t('workspaces:jobs.retryLabel', {
                      task: t(`workspaces:jobs.tasks.${row.task}` as never, {
                        defaultValue: row.task,
                      }) as string,
                      id: row.id,
                    })}
                  >
                    {t('workspaces:jobs.retry')}
                  </Button>
                </form>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
