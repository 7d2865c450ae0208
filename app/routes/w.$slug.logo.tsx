import type { LoaderFunctionArgs } from '@remix-run/node';
import { getReader } from '~/modules/accounts/reader.server';
import { imageResponse } from '~/modules/files/download.server';
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
    // Streamed by us from either store: the page's CSP shows images from our origin only.
    const image = logo.thumbnailKey
      ? { key: logo.thumbnailKey, contentType: 'image/webp', etag: `thumb-${logo.sha256}` }
      : { key: logo.storeKey, contentType: logo.contentType, etag: logo.sha256 };
    return imageResponse(request, image, context.clientReady);
  });
}
