import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { getCurrentSession } from '~/modules/accounts/session.server';
import { listMyWorkspaces } from '~/modules/workspaces/queries.server';

/** "/" goes where the person would go next: their first workspace, creating one, or signing in. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request, context);
  if (!session) throw redirect('/login');
  const [first] = listMyWorkspaces(session);
  throw redirect(first ? `/w/${first.slug}` : '/workspaces/new');
}
