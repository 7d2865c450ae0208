import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { getReader } from '~/modules/accounts/reader.server';
import { MyTasks } from '~/modules/tasks/my-tasks';
import { myTasks } from '~/modules/tasks/queries.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { useT } from '~/platform/document-context';
import { createFormatter } from '~/platform/i18n/format';
import type { RouteHandle } from '~/platform/page-title';
import { PageHeader } from '~/ui/page-header';

export const handle: RouteHandle = { title: (t) => t('tasks:mine.title') };

/** Everything assigned to me and still open, in every project I can see. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  const member = await requireMember(request, context, params);
  return {
    slug: member.workspace.slug,
    today: createFormatter(reader.locale, reader.timeZone).isoDate(new Date()),
    groups: await withWorkspace(member.ctx, (trx) => myTasks(trx, member, reader.timeZone)),
  };
}

export default function MyTasksPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={t('tasks:mine.title')} description={t('tasks:mine.intro')} />
      <MyTasks groups={data.groups} slug={data.slug} today={data.today} />
    </>
  );
}
