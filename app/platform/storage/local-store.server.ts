import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, StoreError, type ByteRange, type FileStore } from './file-store.server';
import { signFileLink } from './signed-links.server';

/** Errors that mean "the disk cannot take or give this now": the user sees a 503. */
const unavailableCodes = new Set([
  'ENOSPC',
  'EDQUOT',
  'EACCES',
  'EPERM',
  'EROFS',
  'EIO',
  'ENOTDIR',
  'EMFILE',
]);

function mapError(error: unknown, key: string): never {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (error instanceof StoreError) throw error;
  if (code === 'ENOENT') throw new StoreError('not_found', `no object ${key}`, { cause: error });
  if (code && unavailableCodes.has(code))
    throw new StoreError('unavailable', `local store: ${code} for ${key}`, { cause: error });
  throw error;
}

/**
 * Files on local disk under DATA_DIR/files/<workspace id>/<file id>. A file is written to a
 * temporary name in the same folder and renamed into place when complete, so a reader never
 * sees half a file and a failed upload leaves nothing (rename is atomic on one file system).
 */
export class LocalFileStore implements FileStore {
  readonly name = 'local';

  constructor(
    readonly root: string,
    private readonly appUrl: string,
    private readonly secrets: string[],
  ) {}

  private pathOf(key: string): string {
    assertValidKey(key);
    return path.join(this.root, key);
  }

  async put(key: string, body: Readable, _options: { contentType: string }): Promise<void> {
    const target = this.pathOf(key);
    const temporary = path.join(
      path.dirname(target),
      `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`,
    );
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await pipeline(body, createWriteStream(temporary, { flags: 'wx' }));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => {});
      body.destroy();
      mapError(error, key);
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      // Opened first, so a missing file is a not_found here rather than a stream error later.
      const handle = await open(this.pathOf(key), 'r');
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    } catch (error) {
      mapError(error, key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    try {
      await Promise.all(keys.map((key) => rm(this.pathOf(key), { force: true })));
    } catch (error) {
      mapError(error, keys.join(', '));
    }
  }

  async signedUrl(
    key: string,
    options: { expiresInSeconds: number; downloadName: string },
  ): Promise<string> {
    assertValidKey(key);
    const expires = Math.floor(Date.now() / 1000) + options.expiresInSeconds;
    const query = signFileLink(this.secrets[0]!, { key, expires, name: options.downloadName });
    return `${this.appUrl}/files/link?${query}`;
  }

  /** Keys under one workspace's folder, or under every folder when the prefix is empty. */
  async *list(prefix: string): AsyncIterable<string> {
    const folders = prefix ? [path.basename(prefix)] : await this.readFolder(this.root);
    for (const folder of folders) {
      for (const name of await this.readFolder(path.join(this.root, folder))) {
        // Dot files are uploads still being written.
        if (!name.startsWith('.')) yield `${folder}/${name}`;
      }
    }
  }

  private async readFolder(folder: string): Promise<string[]> {
    try {
      return (await readdir(folder)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      mapError(error, folder);
    }
  }
}
