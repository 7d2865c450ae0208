import type { LoaderFunctionArgs } from '@remix-run/node';
import '~/modules/registry.server';
import { collectPersonalData } from '~/modules/accounts/personal-data.server';
import { requireUser } from '~/modules/accounts/session.server';

/** Everything Workroom keeps about me, as one JSON file (GDPR art. 15 and 20). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const archive = await collectPersonalData(user.id);
  return new Response(JSON.stringify(archive, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="workroom-data-${new Date().toISOString().slice(0, 10)}.json"`,
      'Cache-Control': 'no-store',
    },
  });
}
