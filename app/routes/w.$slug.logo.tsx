import type { LoaderFunctionArgs } from '@remix-run/node';
import { getReader } from '~/modules/accounts/reader.server';
import { fileResponse, thumbnailResponse } from '~/modules/files/download.server';
import { currentLogo } from '~/modules/files/logo.server';
import { requireMember } from '~/modules/workspaces/queries.server';
import { notFound } from '~/platform/http-errors.server';
import { withStatusPages } from '~/platform/server/resource-errors.server';

/**
 * The workspace's logo for its navigation: the thumbnail once the job has made it, the image
 * itself until then. Pages ask for `?v=<file id>`, so a new logo is a new URL.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  return withStatusPages(reader.locale, async () => {
    const member = await requireMember(request, context, params);
    const logo = await currentLogo(member);
    if (!logo) throw notFound();
    if (logo.thumbnailKey)
      return thumbnailResponse(request, { thumbnailKey: logo.thumbnailKey, sha256: logo.sha256 });
    return fileResponse(request, { ...logo, sizeBytes: Number(logo.sizeBytes) }, { inline: true });
  });
}
