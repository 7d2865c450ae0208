import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKey, readAll, sha256 } from '../../../tests/support/file-store-contract';
import {
  startStorageApiServer,
  type StorageApiServer,
} from '../../../tests/support/storage-api-server';
import { copyObjects } from './copy-files.server';
import { objectKey, thumbnailKey, type FileStore } from './file-store.server';
import { LocalFileStore } from './local-store.server';
import { SupabaseFileStore } from './supabase-store.server';

type ObjectToCopy = { key: string; sha256: string | null; contentType: string };

const secrets = ['a-secret-of-at-least-32-characters!!'];

async function* each<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

/** A store that stores every object with its first byte flipped, as a faulty disk would. */
function corrupting(store: FileStore): FileStore {
  return {
    name: store.name,
    get: (key, range) => store.get(key, range),
    delete: (keys) => store.delete(keys),
    signedUrl: (key, options) => store.signedUrl(key, options),
    list: (prefix) => store.list(prefix),
    async put(key, body, options) {
      const bytes = await readAll(body);
      bytes[0] = bytes[0]! ^ 0xff;
      await store.put(key, Readable.from([bytes]), options);
    },
  };
}

describe('copying files between the local store and Supabase', () => {
  let folder: string;
  let api: StorageApiServer;
  let local: LocalFileStore;
  let supabase: SupabaseFileStore;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  /** Two files and a thumbnail (no checksum) in one workspace of the local store. */
  async function seedLocal(): Promise<{ objects: ObjectToCopy[]; bytes: Map<string, Buffer> }> {
    const workspaceId = randomUUID();
    const fileId = randomUUID();
    const entries: [string, Buffer, boolean][] = [
      [objectKey(workspaceId, fileId), randomBytes(200_000), true],
      [freshKey(workspaceId), randomBytes(1_000), true],
      [thumbnailKey(workspaceId, fileId), randomBytes(3_000), false],
    ];
    const bytes = new Map<string, Buffer>();
    const objects: ObjectToCopy[] = [];
    for (const [key, content, checksummed] of entries) {
      await local.put(key, Readable.from([content]), { contentType: 'application/octet-stream' });
      bytes.set(key, content);
      objects.push({
        key,
        sha256: checksummed ? sha256(content) : null,
        contentType: 'application/octet-stream',
      });
    }
    return { objects, bytes };
  }

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'workroom-copy-'));
    api = await startStorageApiServer();
    local = new LocalFileStore(path.join(folder, 'first'), 'http://localhost:3000', secrets);
    supabase = new SupabaseFileStore(api);
  });
  afterAll(async () => {
    await api.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('copies local files to Supabase, skips them on a second run, and copies them back', async () => {
    const { objects, bytes } = await seedLocal();

    expect(await copyObjects(local, supabase, each(objects), log)).toEqual({
      copied: 3,
      skipped: 0,
      failed: [],
    });
    for (const [key, content] of bytes)
      expect(api.objects().get(`${api.bucket}/${key}`)?.bytes.equals(content)).toBe(true);

    expect(await copyObjects(local, supabase, each(objects), log)).toEqual({
      copied: 0,
      skipped: 3,
      failed: [],
    });

    const back = new LocalFileStore(path.join(folder, 'back'), 'http://localhost:3000', secrets);
    expect(await copyObjects(supabase, back, each(objects), log)).toEqual({
      copied: 3,
      skipped: 0,
      failed: [],
    });
    for (const [key, content] of bytes)
      expect(sha256(await readAll(await back.get(key)))).toBe(sha256(content));
  });

  it('reports a copy that does not read back the same, thumbnails included, and goes on', async () => {
    const { objects } = await seedLocal();
    const missing = { key: freshKey(), sha256: 'f'.repeat(64), contentType: 'text/plain' };
    const all = [...objects, missing];

    const result = await copyObjects(local, corrupting(supabase), each(all), log);
    expect(result).toEqual({ copied: 0, skipped: 0, failed: all.map((object) => object.key) });
    expect(lines).toContain(
      `failed ${objects[2]!.key}: the copy read back differs from what was sent`,
    );

    // Repaired by a run through a healthy target; the missing source stays failed.
    expect(await copyObjects(local, supabase, each(all), log)).toEqual({
      copied: 3,
      skipped: 0,
      failed: [missing.key],
    });
  });

  it('reports a source that no longer matches its recorded checksum', async () => {
    const { objects } = await seedLocal();
    const [first] = objects as [ObjectToCopy];
    const wrong = { ...first, sha256: sha256(Buffer.from('something else')) };
    expect(await copyObjects(local, supabase, each([wrong]), log)).toEqual({
      copied: 0,
      skipped: 0,
      failed: [first.key],
    });
    expect(lines.at(-1)).toBe(
      `failed ${first.key}: the source does not match its recorded SHA-256`,
    );
  });
});
