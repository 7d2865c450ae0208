import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { openNotification } from '~/modules/notifications/notifications.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { notFound, uuidParam } from '~/platform/http-errors.server';

/**
 * Opening a notification: marked read, then on to what it is about. A GET that changes a row,
 * on purpose: only its recipient can name it (RLS), and reading it twice changes nothing.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  const path = await openNotification(member, uuidParam(params.id));
  if (!path) throw notFound();
  return redirect(path, 303);
}
