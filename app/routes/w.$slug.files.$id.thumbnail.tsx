import type { LoaderFunctionArgs } from '@remix-run/node';
import { getReader } from '~/modules/accounts/reader.server';
import { imageResponse } from '~/modules/files/download.server';
import { findVisibleFile } from '~/modules/files/files.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { withWorkspace } from '~/platform/db/database.server';
import { notFound, uuidParam } from '~/platform/http-errors.server';
import { withStatusPages } from '~/platform/server/resource-errors.server';

/** An image's thumbnail, under the same access check as its download. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  return withStatusPages(reader.locale, async () => {
    const member = await requireMember(request, context, params);
    const fileId = uuidParam(params.id);
    const file = await withWorkspace(member.ctx, (trx) => findVisibleFile(trx, member, fileId));
    if (!file?.thumbnailKey) throw notFound();
    return imageResponse(
      request,
      { key: file.thumbnailKey, contentType: 'image/webp', etag: `thumb-${file.sha256}` },
      context.clientReady,
    );
  });
}
