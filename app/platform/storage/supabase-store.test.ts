import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileStoreContract,
  freshKey,
  readAll,
  sha256,
} from '../../../tests/support/file-store-contract';
import {
  startStorageApiServer,
  type StorageApiServer,
} from '../../../tests/support/storage-api-server';
import {
  isStoreError,
  thumbnailKey,
  type FileStore,
  type StoreErrorCode,
} from './file-store.server';
import { SupabaseFileStore } from './supabase-store.server';

const real =
  process.env.SUPABASE_URL && process.env.SUPABASE_SERVICE_KEY && process.env.STORAGE_BUCKET
    ? {
        url: process.env.SUPABASE_URL,
        serviceKey: process.env.SUPABASE_SERVICE_KEY,
        bucket: process.env.STORAGE_BUCKET,
      }
    : undefined;

const failsWith = (code: StoreErrorCode) => (error: unknown) => isStoreError(error, code);

const text = (value: string) => Readable.from([Buffer.from(value)]);

async function keysUnder(store: FileStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(prefix)) keys.push(key);
  return keys;
}

/** A port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once the loopback API holds `count` bytes of an upload still in progress. */
function bytesArrive(api: StorageApiServer, key: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = (path: string, received: number) => {
      if (path !== `${api.bucket}/${key}` || received < count) return;
      stop();
      resolve();
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error('the API got no bytes before the source ended: the upload was buffered'));
    }, 5000);
    const stop = () => {
      clearTimeout(timer);
      api.events.off('upload-progress', listener);
    };
    api.events.on('upload-progress', listener);
  });
}

describe(`the Supabase store against ${
  real
    ? `the real Storage API at ${real.url}`
    : 'a loopback server that answers as the Storage API documents'
}`, () => {
  let api: StorageApiServer | undefined;
  let store: SupabaseFileStore;

  beforeAll(async () => {
    if (!real) api = await startStorageApiServer();
    store = new SupabaseFileStore(real ?? api!);
  });
  afterAll(async () => api?.close());

  fileStoreContract(() => store);

  it('signs a URL that downloads the same bytes under the download name', async () => {
    const key = freshKey();
    const bytes = randomBytes(50_000);
    await store.put(key, Readable.from([bytes]), { contentType: 'application/pdf' });
    const downloadName = 'Rapport été 2026 (v2).pdf';
    const url = await store.signedUrl(key, { expiresInSeconds: 60, downloadName });

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(bytes));
    expect(response.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent(downloadName)}`,
    );
    await store.delete([key]);
  });

  it('lists every workspace folder when the prefix is empty', async () => {
    const keys = [freshKey(), freshKey()];
    for (const key of keys) await store.put(key, text(key), { contentType: 'text/plain' });
    expect(await keysUnder(store, '')).toEqual(expect.arrayContaining(keys));
    await store.delete(keys);
  });

  it('says unavailable when the API cannot be reached, and bad_key without trying', async () => {
    const unreachable = new SupabaseFileStore({
      url: `http://127.0.0.1:${await closedPort()}`,
      serviceKey: 'any',
      bucket: 'any',
    });
    const key = freshKey();
    await expect(unreachable.get(key)).rejects.toSatisfy(failsWith('unavailable'));
    await expect(unreachable.put(key, text('x'), { contentType: 'text/plain' })).rejects.toSatisfy(
      failsWith('unavailable'),
    );
    await expect(unreachable.delete([key])).rejects.toSatisfy(failsWith('unavailable'));
    await expect(
      unreachable.signedUrl(key, { expiresInSeconds: 60, downloadName: 'a.pdf' }),
    ).rejects.toSatisfy(failsWith('unavailable'));
    await expect(keysUnder(unreachable, '')).rejects.toSatisfy(failsWith('unavailable'));
    // A request would have failed as unavailable: bad_key means none was made.
    await expect(unreachable.get('../secrets')).rejects.toSatisfy(failsWith('bad_key'));
    await expect(unreachable.delete([key, 'a/b'])).rejects.toSatisfy(failsWith('bad_key'));
  });
});

describe('the Supabase store on a loopback Storage API, whatever SUPABASE_URL says', () => {
  let api: StorageApiServer;
  let store: SupabaseFileStore;

  beforeAll(async () => {
    api = await startStorageApiServer();
    store = new SupabaseFileStore(api);
  });
  afterAll(async () => api.close());

  it('streams an upload: the API holds bytes before the source has ended (loopback server)', async () => {
    const key = freshKey();
    const first = randomBytes(256 * 1024);
    const second = randomBytes(256 * 1024);
    const arrived = bytesArrive(api, key, first.length);
    const source = Readable.from(
      (async function* () {
        yield first;
        await arrived; // never settles well if the store reads the whole stream before sending
        yield second;
      })(),
    );
    await store.put(key, source, { contentType: 'application/octet-stream' });

    expect(api.uploads().at(-1)).toMatchObject({ chunked: true, contentLength: undefined });
    expect(
      api
        .objects()
        .get(`${api.bucket}/${key}`)
        ?.bytes.equals(Buffer.concat([first, second])),
    ).toBe(true);
  });

  it('keeps nothing of an upload that breaks after the API got bytes (loopback server)', async () => {
    const breaksMidway = (key: string) => {
      const arrived = bytesArrive(api, key, 64 * 1024);
      return Readable.from(
        (async function* () {
          yield randomBytes(64 * 1024);
          await arrived;
          throw new Error('connection reset by the client');
        })(),
      );
    };
    const fresh = freshKey();
    await expect(
      store.put(fresh, breaksMidway(fresh), { contentType: 'text/plain' }),
    ).rejects.toThrow('connection reset by the client');
    expect(api.objects().has(`${api.bucket}/${fresh}`)).toBe(false);

    const replaced = freshKey();
    await store.put(replaced, text('complete'), { contentType: 'text/plain' });
    await expect(
      store.put(replaced, breaksMidway(replaced), { contentType: 'text/plain' }),
    ).rejects.toThrow('connection reset by the client');
    expect((await readAll(await store.get(replaced))).toString()).toBe('complete');
  });

  it('lists a folder longer than one page (loopback server)', async () => {
    const workspaceId = randomUUID();
    const keys = Array.from({ length: 2_345 }, () => freshKey(workspaceId)).sort();
    // Placed directly: the paging is under test here, not two thousand uploads.
    for (const key of keys)
      api.objects().set(`${api.bucket}/${key}`, {
        bytes: Buffer.from(key),
        contentType: 'text/plain',
        id: randomUUID(),
        updatedAt: new Date().toISOString(),
      });
    expect(await keysUnder(store, workspaceId)).toEqual(keys);
    expect((await keysUnder(store, '')).filter((key) => key.startsWith(workspaceId))).toEqual(keys);
    await store.delete(keys);
    expect(await keysUnder(store, workspaceId)).toEqual([]);
  });

  it('says unavailable, not missing_bucket, when the service key is refused (loopback server)', async () => {
    const key = freshKey();
    await store.put(key, text('x'), { contentType: 'text/plain' });
    const wrongKey = new SupabaseFileStore({ ...api, serviceKey: 'not-the-service-key' });
    await expect(wrongKey.get(key)).rejects.toSatisfy(failsWith('unavailable'));
    await expect(wrongKey.put(key, text('y'), { contentType: 'text/plain' })).rejects.toSatisfy(
      failsWith('unavailable'),
    );
    await expect(keysUnder(wrongKey, '')).rejects.toSatisfy(failsWith('unavailable'));
  });
});

describe.each(['legacy', 'documented'] as const)(
  'Storage API errors answered in the %s shape (loopback server)',
  (errorShape) => {
    const limit = 10_000;
    let api: StorageApiServer;
    let store: SupabaseFileStore;

    beforeAll(async () => {
      api = await startStorageApiServer({
        errorShape,
        maxObjectBytes: limit,
        refusesKey: (name) => name.endsWith('.thumb.webp'),
      });
      store = new SupabaseFileStore(api);
    });
    afterAll(async () => api.close());

    it('a bucket that does not exist is missing_bucket', async () => {
      const missing = new SupabaseFileStore({ ...api, bucket: 'no-such-bucket' });
      const key = freshKey();
      await expect(missing.put(key, text('x'), { contentType: 'text/plain' })).rejects.toSatisfy(
        failsWith('missing_bucket'),
      );
      await expect(missing.get(key)).rejects.toSatisfy(failsWith('missing_bucket'));
      await expect(missing.delete([key])).rejects.toSatisfy(failsWith('missing_bucket'));
      await expect(
        missing.signedUrl(key, { expiresInSeconds: 60, downloadName: 'a.pdf' }),
      ).rejects.toSatisfy(failsWith('missing_bucket'));
      await expect(keysUnder(missing, '')).rejects.toSatisfy(failsWith('missing_bucket'));
    });

    it('an object that does not exist is not_found', async () => {
      const key = freshKey();
      await expect(store.get(key)).rejects.toSatisfy(failsWith('not_found'));
      await expect(store.get(key, { start: 0, end: 9 })).rejects.toSatisfy(failsWith('not_found'));
      await expect(
        store.signedUrl(key, { expiresInSeconds: 60, downloadName: 'a.pdf' }),
      ).rejects.toSatisfy(failsWith('not_found'));
    });

    it('an object over the bucket limit is too_large and leaves nothing', async () => {
      const key = freshKey();
      await expect(
        store.put(key, Readable.from([randomBytes(limit * 5)]), { contentType: 'text/plain' }),
      ).rejects.toSatisfy(failsWith('too_large'));
      expect(api.objects().has(`${api.bucket}/${key}`)).toBe(false);
    });

    it('a key the API refuses is bad_key', async () => {
      const [workspaceId, fileId] = freshKey().split('/') as [string, string];
      await expect(
        store.put(thumbnailKey(workspaceId, fileId), text('x'), { contentType: 'image/webp' }),
      ).rejects.toSatisfy(failsWith('bad_key'));
    });

    it('an expired signed URL is refused with a 400', async () => {
      const key = freshKey();
      await store.put(key, text('x'), { contentType: 'text/plain' });
      const url = await store.signedUrl(key, { expiresInSeconds: 1, downloadName: 'a.txt' });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const response = await fetch(url);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ message: 'jwt expired' });
    });
  },
);
