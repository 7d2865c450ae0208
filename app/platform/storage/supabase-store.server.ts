import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { StorageApiError, StorageClient, StorageUnknownError } from '@supabase/storage-js';
import {
  assertValidKey,
  StoreError,
  type ByteRange,
  type FileStore,
  type StoreErrorCode,
} from './file-store.server';

/**
 * The Storage API's errors in our words. storage-js gives `status` (HTTP), `statusCode` (the
 * body's `statusCode`, else its `code`, else the HTTP status) and the body's `message`; the
 * shapes it meets:
 * - legacy, and still the default of supabase/storage `src/http/error-handler.ts`: HTTP 400
 *   with `{ statusCode: "404" | "413" | "400", error, code?, message }`, so statusCode is a
 *   number and only the message ("Bucket not found" / "Object not found") tells bucket from key;
 * - documented (supabase.com/docs/guides/storage/debugging/error-codes): the real HTTP status
 *   with `{ code: "NoSuchBucket" | "NoSuchKey" | "EntityTooLarge" | "InvalidKey", message }`,
 *   so statusCode is the code;
 * - StorageUnknownError: no answer at all (refused, reset, DNS).
 * Anything else (a wrong key's AccessDenied, 5xx, a proxy's HTML) is unavailable.
 */
function storeErrorCode(error: unknown): StoreErrorCode {
  if (!(error instanceof StorageApiError)) return 'unavailable';
  const code = error.statusCode;
  const status = /^\d+$/.test(code) ? Number(code) : error.status;
  if (code === 'NoSuchBucket' || (status === 404 && /bucket not found/i.test(error.message)))
    return 'missing_bucket';
  if (code === 'NoSuchKey' || status === 404) return 'not_found';
  if (code === 'EntityTooLarge' || status === 413) return 'too_large';
  if (code === 'InvalidKey' || /^invalid key/i.test(error.message)) return 'bad_key';
  return 'unavailable';
}

function toStoreError(error: unknown, what: string): StoreError {
  const code = storeErrorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreError(code, `supabase store: ${code} for ${what} (${detail})`, { cause: error });
}

/**
 * Files in a private Supabase Storage bucket under the same keys as on disk, reached with the
 * service key (server side only). Uploads stream: storage-js hands a Node stream to fetch as the
 * body (with `duplex: 'half'`, which it sets itself), and the API keeps an object only when its
 * body arrived whole.
 */
export class SupabaseFileStore implements FileStore {
  readonly name = 'supabase';
  private readonly storageUrl: string;
  private readonly headers: Record<string, string>;
  private readonly client: StorageClient;
  private readonly bucket: string;

  constructor(options: { url: string; serviceKey: string; bucket: string }) {
    this.storageUrl = `${options.url.replace(/\/+$/, '')}/storage/v1`;
    this.headers = { apikey: options.serviceKey, Authorization: `Bearer ${options.serviceKey}` };
    this.client = new StorageClient(this.storageUrl, this.headers);
    this.bucket = options.bucket;
  }

  private get files() {
    return this.client.from(this.bucket);
  }

  async put(key: string, body: Readable, options: { contentType: string }): Promise<void> {
    assertValidKey(key);
    let sourceError: unknown;
    body.once('error', (error) => (sourceError = error));
    const { error } = await this.files.upload(key, body, {
      contentType: options.contentType,
      upsert: true,
    });
    if (!error) return;
    body.destroy();
    // Without an answer from the API, a failure of the caller's own stream (too large, the
    // client went away) is the cause, and the caller's to see, as with the local store.
    if (sourceError && !(error instanceof StorageApiError)) throw sourceError;
    throw toStoreError(error, key);
  }

  /**
   * Fetched from the authenticated route: storage-js's download uses the public one, which lets
   * a rejected key through as anonymous and then says "Bucket not found".
   */
  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertValidKey(key);
    const headers = range
      ? { ...this.headers, range: `bytes=${range.start}-${range.end}` }
      : this.headers;
    let response: Response;
    try {
      response = await fetch(`${this.storageUrl}/object/authenticated/${this.bucket}/${key}`, {
        headers,
      });
    } catch (error) {
      throw toStoreError(new StorageUnknownError(String(error), error), key);
    }
    if (!response.ok || !response.body) throw toStoreError(await apiError(response), key);
    if (range && response.status !== 206) {
      await response.body.cancel();
      throw new StoreError('unavailable', `supabase store: range ignored for ${key}`);
    }
    return Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
  }

  async delete(keys: string[]): Promise<void> {
    keys.forEach(assertValidKey);
    // The API takes 1 to 1,000 names a request; names it does not have are left out of its answer.
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      const { error } = await this.files.remove(batch);
      if (error) throw toStoreError(error, `${batch.length} keys from ${batch[0]}`);
    }
  }

  async signedUrl(
    key: string,
    options: { expiresInSeconds: number; downloadName: string },
  ): Promise<string> {
    assertValidKey(key);
    const { data, error } = await this.files.createSignedUrl(key, options.expiresInSeconds);
    if (error) throw toStoreError(error, key);
    // Added here, not through its `download` option: storage-js 2.109 runs encodeURI over the
    // already encoded name, so "été.pdf" would arrive as "%C3%A9t%C3%A9.pdf" (supabase-js#2468).
    const url = new URL(data.signedUrl);
    url.searchParams.set('download', options.downloadName);
    return url.toString();
  }

  /** Keys under one workspace's folder, or under every top-level folder when the prefix is empty. */
  async *list(prefix: string): AsyncIterable<string> {
    const folders = prefix ? [prefix] : await this.names('', 'folders');
    for (const folder of folders) {
      for (const name of await this.names(folder, 'files')) yield `${folder}/${name}`;
    }
  }

  /**
   * One folder level, page by page until an empty page (a server may cap a page below the limit
   * asked for); folders are the entries with a null id.
   */
  private async names(prefix: string, kind: 'files' | 'folders'): Promise<string[]> {
    const names: string[] = [];
    for (let offset = 0; ;) {
      const { data, error } = await this.files.list(prefix, {
        limit: 1000,
        offset,
        sortBy: { column: 'name', order: 'asc' }, // a stable order for offset paging
      });
      if (error) throw toStoreError(error, `the list of ${prefix || 'folders'}`);
      if (data.length === 0) return names;
      offset += data.length;
      for (const entry of data) {
        const isFolder = entry.id === null;
        // Dot files are the dashboard's `.emptyFolderPlaceholder`, never one of ours.
        if (isFolder === (kind === 'folders') && !entry.name.startsWith('.'))
          names.push(entry.name);
      }
    }
  }
}

/** A failed answer read the way storage-js reads one, so one mapping serves both paths. */
async function apiError(response: Response): Promise<unknown> {
  const body = (await response.json().catch(() => null)) as {
    statusCode?: string;
    code?: string;
    message?: string;
    error?: string;
  } | null;
  const statusCode = body?.statusCode || body?.code || String(response.status);
  const message = body?.message || body?.error || response.statusText;
  return new StorageApiError(message, response.status, statusCode);
}
