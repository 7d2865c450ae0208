import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireMember } from '~/modules/workspaces/queries.server';
import { brandStylesheet } from '~/modules/workspaces/branding';

/**
 * The workspace's brand colour as a tiny stylesheet (CSP forbids inline styles). Its URL
 * carries the colour, so it can be cached for a long time.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const member = await requireMember(request, context, params);
  return new Response(brandStylesheet(member.workspace.brandColor), {
    headers: {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'private, max-age=31536000, immutable',
    },
  });
}
