import type { Readable } from 'node:stream';

/**
 * Where the bytes of uploaded files live: local disk (the default) or Supabase Storage. The
 * database keeps the row (name, size, checksum, key); a store keeps only bytes under a key
 * `<workspace id>/<file id>` (thumbnails `<workspace id>/<file id>.thumb.webp`).
 */
export interface FileStore {
  readonly name: 'local' | 'supabase';
  /**
   * Stores the stream under the key, all or nothing: if the stream fails (too large, the
   * client went away) no object is left behind, and an existing object is replaced only by a
   * complete one.
   */
  put(key: string, body: Readable, options: { contentType: string }): Promise<void>;
  /** The object's bytes, or only `range` of them (inclusive offsets). */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the objects; keys that do not exist are not an error. */
  delete(keys: string[]): Promise<void>;
  /** A URL that downloads the object without signing in, until it expires. */
  signedUrl(
    key: string,
    options: { expiresInSeconds: number; downloadName: string },
  ): Promise<string>;
  /** Every key under a prefix (a workspace id), for the nightly check and the purge. */
  list(prefix: string): AsyncIterable<string>;
}

export type ByteRange = { start: number; end: number };

/**
 * The store's failures in our own words, whichever store it was:
 * - not_found: no object under that key;
 * - too_large: the store refused the size (Supabase's bucket limit may be below ours);
 * - bad_key: the store refused the key itself;
 * - missing_bucket: the configured bucket does not exist (an operator's mistake);
 * - unavailable: disk full, permissions, network, the Storage API down (a 503 for the user).
 */
export type StoreErrorCode =
  'not_found' | 'too_large' | 'bad_key' | 'missing_bucket' | 'unavailable';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const keyPattern = new RegExp(`^${uuid}/${uuid}(\\.thumb\\.webp)?$`);

/** Keys are made by us from two UUIDs; anything else is refused before it reaches a path or URL. */
export function assertValidKey(key: string): void {
  if (!keyPattern.test(key)) throw new StoreError('bad_key', `not a file key: ${key}`);
}

export const objectKey = (workspaceId: string, fileId: string) => `${workspaceId}/${fileId}`;
export const thumbnailKey = (workspaceId: string, fileId: string) =>
  `${workspaceId}/${fileId}.thumb.webp`;
