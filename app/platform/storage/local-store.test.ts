import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failingStream,
  fileStoreContract,
  freshKey,
} from '../../../tests/support/file-store-contract';
import { isStoreError } from './file-store.server';
import { LocalFileStore } from './local-store.server';
import { verifyFileLink } from './signed-links.server';

const secret = 'a-secret-of-at-least-32-characters!!';

describe('the local store on a temporary folder', () => {
  let root: string;
  let store: LocalFileStore;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'workroom-files-'));
    store = new LocalFileStore(root, 'http://localhost:3000', [secret]);
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  fileStoreContract(() => store);

  it('leaves no .part file behind when the upload stream fails', async () => {
    const workspaceId = randomUUID();
    await expect(
      store.put(freshKey(workspaceId), failingStream(64 * 1024), { contentType: 'text/plain' }),
    ).rejects.toThrow('connection reset by the client');
    expect(await readdir(path.join(root, workspaceId))).toEqual([]);
  });

  it('says unavailable when its root is a file, and writes nothing', async () => {
    const file = path.join(root, `not-a-folder-${randomUUID()}`);
    await writeFile(file, 'just a file');
    const broken = new LocalFileStore(file, 'http://localhost:3000', [secret]);
    const key = freshKey();
    await expect(
      broken.put(key, Readable.from([Buffer.from('x')]), { contentType: 'text/plain' }),
    ).rejects.toSatisfy((error) => isStoreError(error, 'unavailable'));
    await expect(broken.get(key)).rejects.toSatisfy((error) => isStoreError(error, 'unavailable'));
    expect(await readFile(file, 'utf8')).toBe('just a file');
  });

  describe('signed links', () => {
    const key = freshKey();
    let query: URLSearchParams;

    beforeAll(async () => {
      const url = new URL(
        await store.signedUrl(key, { expiresInSeconds: 60, downloadName: 'Rapport été.pdf' }),
      );
      expect(`${url.origin}${url.pathname}`).toBe('http://localhost:3000/files/link');
      query = url.searchParams;
    });

    const changed = (name: string, value: string) => {
      const copy = new URLSearchParams(query);
      copy.set(name, value);
      return copy;
    };

    it('verifies the key and download name it was signed with', () => {
      expect(verifyFileLink([secret], query)).toEqual({ ok: true, key, name: 'Rapport été.pdf' });
    });

    it('refuses a link whose name, key or expiry was changed', () => {
      const later = String(Number(query.get('expires')) + 3600);
      for (const tampered of [
        changed('name', 'other.pdf'),
        changed('key', freshKey()),
        changed('expires', later),
      ])
        expect(verifyFileLink([secret], tampered)).toEqual({ ok: false, reason: 'invalid' });
    });

    it('says expired once the expiry has passed', () => {
      const afterExpiry = (Number(query.get('expires')) + 1) * 1000;
      expect(verifyFileLink([secret], query, afterExpiry)).toEqual({
        ok: false,
        reason: 'expired',
      });
    });

    it('still verifies after the secret is rotated, and not without it', () => {
      const rotated = 'a-new-secret-of-at-least-32-characters!!';
      expect(verifyFileLink([rotated, secret], query)).toMatchObject({ ok: true, key });
      expect(verifyFileLink([rotated], query)).toEqual({ ok: false, reason: 'invalid' });
    });
  });
});
