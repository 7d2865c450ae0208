import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import {
  isStoreError,
  objectKey,
  type FileStore,
} from '../../app/platform/storage/file-store.server';

/** A fresh key in a fresh workspace folder, so tests never see each other's objects. */
export const freshKey = (workspaceId = randomUUID()) => objectKey(workspaceId, randomUUID());

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A stream that sends some bytes and then fails, like a client that went away mid-upload. */
export function failingStream(bytesBeforeFailure: number): Readable {
  return Readable.from(
    (async function* () {
      yield randomBytes(bytesBeforeFailure);
      throw new Error('connection reset by the client');
    })(),
  );
}

async function keysUnder(store: FileStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(prefix)) keys.push(key);
  return keys;
}

/**
 * What every FileStore promises, whichever it is: called inside a describe() of each store's
 * test file, so both stores are held to the same behaviour.
 */
export function fileStoreContract(store: () => FileStore): void {
  it('gives back the same bytes it was given, whole or by range', async () => {
    const key = freshKey();
    const bytes = randomBytes(300_000);
    await store().put(key, Readable.from([bytes]), { contentType: 'application/octet-stream' });
    expect(sha256(await readAll(await store().get(key)))).toBe(sha256(bytes));
    const part = await readAll(await store().get(key, { start: 1000, end: 1999 }));
    expect(part.equals(bytes.subarray(1000, 2000))).toBe(true);
  });

  it('replaces an object put again under the same key', async () => {
    const key = freshKey();
    await store().put(key, Readable.from([Buffer.from('first')]), { contentType: 'text/plain' });
    await store().put(key, Readable.from([Buffer.from('second')]), { contentType: 'text/plain' });
    expect((await readAll(await store().get(key))).toString()).toBe('second');
  });

  it('leaves nothing behind when the upload stream fails', async () => {
    const workspaceId = randomUUID();
    const key = freshKey(workspaceId);
    await expect(
      store().put(key, failingStream(64 * 1024), { contentType: 'application/pdf' }),
    ).rejects.toThrow();
    expect(await keysUnder(store(), workspaceId)).toEqual([]);
    await expect(store().get(key)).rejects.toSatisfy((error) => isStoreError(error, 'not_found'));
  });

  it('says not_found for a key it never stored', async () => {
    await expect(store().get(freshKey())).rejects.toSatisfy((error) =>
      isStoreError(error, 'not_found'),
    );
  });

  it('refuses a key that is not one of ours before touching anything', async () => {
    for (const key of ['../../etc/passwd', 'a/b', `${randomUUID()}/../x`, '']) {
      await expect(store().get(key)).rejects.toSatisfy((error) => isStoreError(error, 'bad_key'));
      await expect(
        store().put(key, Readable.from([Buffer.from('x')]), { contentType: 'text/plain' }),
      ).rejects.toSatisfy((error) => isStoreError(error, 'bad_key'));
    }
  });

  it('lists a workspace folder and deletes, missing keys included', async () => {
    const workspaceId = randomUUID();
    const keys = [freshKey(workspaceId), freshKey(workspaceId)].sort();
    for (const key of keys)
      await store().put(key, Readable.from([Buffer.from(key)]), { contentType: 'text/plain' });
    expect((await keysUnder(store(), workspaceId)).sort()).toEqual(keys);
    await store().delete([...keys, freshKey(workspaceId)]);
    expect(await keysUnder(store(), workspaceId)).toEqual([]);
  });

  // Each store's own tests follow the URL (the local one needs the app's link route).
  it('signs an absolute download URL', async () => {
    const key = freshKey();
    const bytes = randomBytes(10_000);
    await store().put(key, Readable.from([bytes]), { contentType: 'application/octet-stream' });
    const url = await store().signedUrl(key, { expiresInSeconds: 60, downloadName: 'report.pdf' });
    expect(url).toMatch(/^https?:\/\//);
  });
}
