import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { isStoreError, type FileStore } from './file-store.server';

type ObjectToCopy = { key: string; sha256: string | null; contentType: string };

async function hashOf(store: FileStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await store.get(key)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function hashIfPresent(store: FileStore, key: string): Promise<string | null> {
  try {
    return await hashOf(store, key);
  } catch (error) {
    if (isStoreError(error, 'not_found')) return null;
    throw error;
  }
}

async function* hashing(source: Readable, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
}

/** Copies one object unless the target has it already; throws when the copy is not exact. */
async function copyObject(
  from: FileStore,
  to: FileStore,
  object: ObjectToCopy,
): Promise<'copied' | 'skipped'> {
  // Thumbnails have no recorded checksum: the source's bytes are the reference.
  const expected = object.sha256 ?? (await hashOf(from, object.key));
  if ((await hashIfPresent(to, object.key)) === expected) return 'skipped';

  const sent = createHash('sha256');
  const source = await from.get(object.key);
  await to.put(object.key, Readable.from(hashing(source, sent)), {
    contentType: object.contentType,
  });
  const sentHash = sent.digest('hex');
  if (object.sha256 && sentHash !== object.sha256)
    throw new Error('the source does not match its recorded SHA-256');
  if ((await hashOf(to, object.key)) !== sentHash)
    throw new Error('the copy read back differs from what was sent');
  return 'copied';
}

/**
 * Copies objects between stores (moving to or from Supabase), one at a time so memory stays
 * bounded whatever the sizes. Objects already in place are skipped, so a run can be repeated;
 * each copy is read back and checked; a failure is logged and the run goes on.
 */
export async function copyObjects(
  from: FileStore,
  to: FileStore,
  objects: AsyncIterable<ObjectToCopy>,
  log: (line: string) => void,
): Promise<{ copied: number; skipped: number; failed: string[] }> {
  const result = { copied: 0, skipped: 0, failed: [] as string[] };
  for await (const object of objects) {
    try {
      const outcome = await copyObject(from, to, object);
      result[outcome] += 1;
      log(`${outcome} ${object.key}`);
    } catch (error) {
      result.failed.push(object.key);
      log(`failed ${object.key}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}
