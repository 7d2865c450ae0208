import sharp from 'sharp';
import { z } from 'zod';
import { withWorkspace } from '~/platform/db/database.server';
import { defineJob } from '~/platform/jobs/jobs.server';
import { getLogger } from '~/platform/logger.server';
import { isStoreError, thumbnailKey } from '~/platform/storage/file-store.server';
import { getFileStore } from '~/platform/storage/store.server';

/** The longest side of a thumbnail: sharp on a small screen, light on a slow connection. */
export const THUMBNAIL_SIZE = 480;

// One image at a time and no cache: a 2-core machine also serves pages, and memory stays flat.
sharp.concurrency(1);
sharp.cache(false);

/**
 * A WebP thumbnail for an uploaded image (PNG, JPEG, WebP, GIF), made by sharp from a stream of
 * the original. Images larger than 50 megapixels are refused before decoding (a small file can
 * claim a huge size). A picture sharp cannot read gets no thumbnail; retrying would not help.
 */
export const thumbnailJob = defineJob({
  name: 'files.thumbnail',
  payload: z.object({ fileId: z.uuid(), workspaceId: z.uuid() }),
  maxAttempts: 5,
  async run({ fileId, workspaceId }) {
    const ctx = { userId: null, workspaceId };
    const file = await withWorkspace(ctx, (trx) =>
      trx
        .selectFrom('files')
        .select(['storeKey', 'thumbnailKey'])
        .where('id', '=', fileId)
        .executeTakeFirst(),
    );
    if (!file || file.thumbnailKey) return;
    const store = getFileStore();
    const key = thumbnailKey(workspaceId, fileId);
    let original;
    try {
      original = await store.get(file.storeKey);
    } catch (error) {
      // The row outlived its object (the nightly check reports it); nothing to make.
      if (isStoreError(error, 'not_found')) return;
      throw error;
    }
    const resize = sharp({ limitInputPixels: 50_000_000, failOn: 'error' })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 });
    original.on('error', (error) => resize.destroy(error));
    try {
      await store.put(key, original.pipe(resize), { contentType: 'image/webp' });
    } catch (error) {
      // Whoever failed first, the original's file or connection is closed here.
      original.destroy();
      // The store's trouble is worth a retry; sharp's refusal of the picture is not.
      if (isStoreError(error)) throw error;
      getLogger().warn({ err: error, fileId }, 'no thumbnail: the image could not be read');
      return;
    }
    await withWorkspace(ctx, (trx) =>
      trx.updateTable('files').set({ thumbnailKey: key }).where('id', '=', fileId).execute(),
    );
  },
});
