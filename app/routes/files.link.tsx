import type { LoaderFunctionArgs } from '@remix-run/node';
import { getReader } from '~/modules/accounts/reader.server';
import { fileResponse } from '~/modules/files/download.server';
import { withWorkspace } from '~/platform/db/database.server';
import { getEnv } from '~/platform/env.server';
import { notFound, refusal } from '~/platform/http-errors.server';
import { withStatusPages } from '~/platform/server/resource-errors.server';
import { verifyFileLink } from '~/platform/storage/signed-links.server';
import { getFileStore } from '~/platform/storage/store.server';

/**
 * A download link of the local store, followed by someone who need not be signed in: the
 * signature vouches for the key, the name and the expiry. A changed link is refused (403), an
 * expired one says so (410), and so does a link to a file deleted since (links die with it).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const reader = await getReader(request, context);
  return withStatusPages(reader.locale, async () => {
    // With Supabase Storage, links point to Supabase itself; none are ours to serve.
    if (getFileStore().name !== 'local') throw notFound();
    const check = verifyFileLink(getEnv().sessionSecrets, new URL(request.url).searchParams);
    if (!check.ok)
      throw check.reason === 'expired'
        ? refusal(410, 'files:errors.linkExpired')
        : refusal(403, 'files:errors.linkInvalid');
    // The key names its workspace; the row is read inside it, as RLS requires.
    const workspaceId = check.key.split('/')[0]!;
    // A file in the trash, or in a deleted workspace, is not handed out.
    const file = await withWorkspace({ userId: null, workspaceId }, (trx) =>
      trx
        .selectFrom('files')
        .innerJoin('workspaces', 'workspaces.id', 'files.workspaceId')
        .select(['files.storeKey', 'files.contentType', 'files.sizeBytes', 'files.sha256'])
        .where('files.storeKey', '=', check.key)
        .where('files.deletedAt', 'is', null)
        .where('workspaces.deletedAt', 'is', null)
        .executeTakeFirst(),
    );
    if (!file) throw refusal(410, 'files:errors.linkFileDeleted');
    return fileResponse(
      request,
      { ...file, name: check.name, sizeBytes: Number(file.sizeBytes) },
      { clientReady: context.clientReady },
    );
  });
}
