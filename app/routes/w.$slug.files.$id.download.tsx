import type { LoaderFunctionArgs } from '@remix-run/node';
import { getReader } from '~/modules/accounts/reader.server';
import { fileResponse } from '~/modules/files/download.server';
import { findVisibleFile } from '~/modules/files/files.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { notFound, refusal, uuidParam } from '~/platform/http-errors.server';
import { withStatusPages } from '~/platform/server/resource-errors.server';

/**
 * A file's bytes, after the access check: RLS for the workspace, then the rules of what it is
 * attached to. Anyone else gets the same 404 as for a file that never existed; a file in the
 * trash says so (410) to those who may see it.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  return withStatusPages(reader.locale, async () => {
    const member = await requireMember(request, context, params);
    const fileId = uuidParam(params.id);
    const file = await withWorkspace(member.ctx, (trx) => findVisibleFile(trx, member, fileId));
    if (!file) throw notFound();
    if (file.deletedAt) throw refusal(410, 'files:errors.deleted', { name: file.name });
    const inline = new URL(request.url).searchParams.get('inline') === '1';
    return fileResponse(request, file, { inline, clientReady: context.clientReady });
  });
}
