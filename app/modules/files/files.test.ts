import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  browserRequest,
  createTestWorkspace,
  createUser,
  loadContext,
  ownerSql,
  signedInCookie,
  type TestUser,
  type TestWorkspace,
} from '../../../tests/support/factories';
import { readAll } from '../../../tests/support/file-store-contract';
import { runDueJobs } from '../../../tests/support/jobs';
import { collectPersonalData } from '~/modules/accounts/personal-data.server';
import { deleteWorkspace, purgeJob } from '~/modules/workspaces/workspaces.server';
import { withMaintenance } from '~/platform/db/database.server';
import { getEnv } from '~/platform/env.server';
import { StoreError } from '~/platform/storage/file-store.server';
import { LocalFileStore } from '~/platform/storage/local-store.server';
import { signFileLink } from '~/platform/storage/signed-links.server';
import { useFileStore } from '~/platform/storage/store.server';
import * as fileLink from '~/routes/files.link';
import * as logoPage from '~/routes/w.$slug.admin.logo';
import * as logoImage from '~/routes/w.$slug.logo';
import * as filePage from '~/routes/w.$slug.files.$id._index';
import * as download from '~/routes/w.$slug.files.$id.download';
import * as thumbnail from '~/routes/w.$slug.files.$id.thumbnail';
import * as filesPage from '~/routes/w.$slug.files._index';
import { startStorageApiServer } from '../../../tests/support/storage-api-server';
import { checkStore, purgeTrashJob } from './housekeeping.server';
import { moveFilesBetweenStores } from './move-store.server';

// A small limit, so "too large" needs only a few hundred kilobytes.
process.env.FILE_MAX_BYTES = String(512 * 1024);

const owner = ownerSql();
const root = mkdtempSync(path.join(os.tmpdir(), 'workroom-files-'));
// Laid out as DATA_DIR/files, as files:migrate expects.
const store = () =>
  new LocalFileStore(path.join(root, 'files'), getEnv().appUrl, getEnv().sessionSecrets);
let workspace: TestWorkspace;
let member: TestUser;
let memberCookie: string;

beforeAll(async () => {
  useFileStore(store());
  workspace = await createTestWorkspace();
  member = await addMember(workspace, 'member');
  memberCookie = await signedInCookie(member);
});
afterAll(() => owner.end());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const png = (width = 900, height = 600) =>
  sharp({ create: { width, height, channels: 3, background: '#3347c4' } })
    .png()
    .toBuffer();

type Part = { name: string; bytes: Buffer; type?: string };

function uploadRequest(cookie: string, parts: Part[], slug = workspace.slug): Request {
  const form = new FormData();
  for (const part of parts)
    form.append(
      'files',
      new File([new Uint8Array(part.bytes)], part.name, { type: part.type ?? '' }),
    );
  return browserRequest(`/w/${slug}/files`, cookie, { method: 'POST', body: form });
}

async function upload(cookie: string, parts: Part[], slug = workspace.slug) {
  return outcome(() =>
    filesPage.action({
      request: uploadRequest(cookie, parts, slug),
      context: loadContext(),
      params: { slug },
    }),
  );
}

/** What a loader or action answered, thrown or returned, as a Response-like summary. */
async function outcome(run: () => Promise<unknown>) {
  try {
    const value = await run();
    if (value instanceof Response) return value;
    const data = value as { data?: unknown; init?: { status?: number } | null; type?: string };
    return new Response(JSON.stringify(data.data ?? value), { status: data.init?.status ?? 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function filesNamed(name: string) {
  return owner`select * from files where workspace_id = ${workspace.id} and name = ${name}`;
}

async function objectsOf(workspaceId: string) {
  const keys: string[] = [];
  for await (const key of store().list(workspaceId)) keys.push(key);
  return keys;
}

function fileRequest(fileId: string, suffix = '', cookie = memberCookie, init: RequestInit = {}) {
  return browserRequest(`/w/${workspace.slug}/files/${fileId}${suffix}`, cookie, init);
}

async function downloadAs(fileId: string, cookie = memberCookie, headers: HeadersInit = {}) {
  return outcome(() =>
    download.loader({
      request: fileRequest(fileId, '/download', cookie, { headers }),
      context: loadContext(),
      params: { slug: workspace.slug, id: fileId },
    }),
  );
}

async function postToFile(fileId: string, fields: Record<string, string>, cookie = memberCookie) {
  return outcome(() =>
    filePage.action({
      request: fileRequest(fileId, '', cookie, {
        method: 'POST',
        body: new URLSearchParams(fields),
      }),
      context: loadContext(),
      params: { slug: workspace.slug, id: fileId },
    }),
  );
}

describe('uploading', () => {
  it('streams files into the store, with the type their bytes show and an audit event each', async () => {
    const picture = await png();
    const notes = Buffer.from('Quarterly notes\nRevenue up 4 %\n');
    const response = await upload(memberCookie, [
      // The browser's claim (and the name) say text; the bytes say PNG.
      { name: 'photo.txt', bytes: picture, type: 'text/plain' },
      { name: ' notes.md ', bytes: notes, type: 'application/octet-stream' },
    ]);
    expect(response.status).toBe(303);
    const [photo] = await filesNamed('photo.txt');
    expect(photo).toMatchObject({
      content_type: 'image/png',
      type_group: 'image',
      size_bytes: String(picture.length),
      sha256: sha256(picture),
      uploaded_by: member.id,
      owner_kind: 'library',
      deleted_at: null,
    });
    const [text] = await filesNamed('notes.md');
    expect(text).toMatchObject({ content_type: 'text/markdown', type_group: 'document' });
    expect(sha256(await readAll(await store().get(photo!.store_key)))).toBe(sha256(picture));
    const audit =
      await owner`select action, target_id from audit_events where workspace_id = ${workspace.id} and action = 'file.uploaded'`;
    expect(audit.map((event) => event.target_id)).toEqual(
      expect.arrayContaining([photo!.id, text!.id]),
    );
  });

  it('makes a WebP thumbnail of an image, served under the same access check', async () => {
    await upload(memberCookie, [{ name: 'wide.png', bytes: await png(2000, 1000) }]);
    await runDueJobs();
    const [file] = await filesNamed('wide.png');
    expect(file!.thumbnail_key).toBe(`${file!.store_key}.thumb.webp`);
    const response = await outcome(() =>
      thumbnail.loader({
        request: fileRequest(file!.id, '/thumbnail'),
        context: loadContext(),
        params: { slug: workspace.slug, id: file!.id },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 480, 240]);
  });

  it('refuses a file over the limit with 413, keeping nothing from the whole upload', async () => {
    const before = await objectsOf(workspace.id);
    const response = await upload(memberCookie, [
      { name: 'fine.csv', bytes: Buffer.from('a,b\n1,2\n') },
      { name: 'huge.bin', bytes: randomBytes(600 * 1024) },
    ]);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      message: 'files:errors.tooLarge',
      values: { name: 'huge.bin', limit: 0.5 },
    });
    expect(await filesNamed('fine.csv')).toHaveLength(0);
    expect(await filesNamed('huge.bin')).toHaveLength(0);
    expect(await objectsOf(workspace.id)).toEqual(before);
  });

  it('sends empty files, names of only dots and an empty form back to the form (422)', async () => {
    for (const [parts, problem] of [
      [[{ name: 'empty.txt', bytes: Buffer.alloc(0) }], 'files:problems.empty'],
      [[{ name: '...', bytes: Buffer.from('x') }], 'files:problems.badName'],
      [[{ name: '/ /', bytes: Buffer.from('x') }], 'files:problems.badName'],
      [[], 'files:problems.noFile'],
    ] as Array<[Part[], string]>) {
      const before = await objectsOf(workspace.id);
      const response = await upload(memberCookie, parts);
      expect(response.status).toBe(422);
      const body = (await response.json()) as { result: { error: { files: string[] } } };
      expect(body.result.error.files[0]).toContain(problem);
      expect(await objectsOf(workspace.id)).toEqual(before);
    }
  });

  it('refuses an upload past the workspace quota (413) and keeps nothing', async () => {
    const small = await createTestWorkspace();
    await owner`update workspaces set storage_quota_bytes = 1000 where id = ${small.id}`;
    const cookie = await signedInCookie(small.owner);
    const first = await upload(
      cookie,
      [{ name: 'a.txt', bytes: Buffer.alloc(600, 'a') }],
      small.slug,
    );
    expect(first.status).toBe(303);
    const second = await upload(
      cookie,
      [{ name: 'b.txt', bytes: Buffer.alloc(600, 'b') }],
      small.slug,
    );
    expect(second.status).toBe(413);
    expect(await second.json()).toMatchObject({ message: 'files:errors.quota' });
    expect(await objectsOf(small.id)).toHaveLength(1);
    const rows = await owner`select name from files where workspace_id = ${small.id}`;
    expect(rows.map((row) => row.name)).toEqual(['a.txt']);
  });

  it('answers 503 when the store fails, and leaves no row pointing at missing bytes', async () => {
    // A disk that has filled up: the store refuses every write.
    class FullDisk extends LocalFileStore {
      override async put(_key: string, body: Readable): Promise<void> {
        body.resume();
        throw new StoreError('unavailable', 'disk full');
      }
    }
    const broken = new FullDisk(path.join(root, 'files'), getEnv().appUrl, getEnv().sessionSecrets);
    useFileStore(broken);
    try {
      const response = await upload(memberCookie, [
        { name: 'report.pdf', bytes: Buffer.from('%PDF-1.4\n') },
      ]);
      expect(response.status).toBe(503);
      expect(await filesNamed('report.pdf')).toHaveLength(0);
    } finally {
      useFileStore(store());
    }
  });

  it('lets a guest upload nothing to the workspace library', async () => {
    const guest = await addMember(workspace, 'guest');
    const response = await upload(await signedInCookie(guest), [
      { name: 'guest.txt', bytes: Buffer.from('hello') },
    ]);
    expect(response.status).toBe(403);
    expect(await filesNamed('guest.txt')).toHaveLength(0);
  });
});

describe('downloading', () => {
  let fileId: string;
  const bytes = randomBytes(200_000);

  beforeAll(async () => {
    await upload(memberCookie, [{ name: 'data “2024”.bin', bytes }]);
    fileId = (await filesNamed('data “2024”.bin'))[0]!.id;
  });

  it('streams the same bytes with a safe name, nosniff, a sandbox and an ETag', async () => {
    const response = await downloadAs(fileId);
    expect(response.status).toBe(200);
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(bytes));
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-length': String(bytes.length),
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="data _2024_.bin"; filename*=UTF-8''data%20%E2%80%9C2024%E2%80%9D.bin`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      etag: `"${sha256(bytes)}"`,
      'accept-ranges': 'bytes',
    });
  });

  it('answers If-None-Match with 304 and byte ranges with 206 or 416', async () => {
    expect(
      (await downloadAs(fileId, memberCookie, { 'If-None-Match': `"${sha256(bytes)}"` })).status,
    ).toBe(304);
    const part = await downloadAs(fileId, memberCookie, { Range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('Content-Range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await downloadAs(fileId, memberCookie, { Range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(-10))).toBe(true);
    const outside = await downloadAs(fileId, memberCookie, { Range: `bytes=${bytes.length}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('Content-Range')).toBe(`bytes */${bytes.length}`);
  });

  it('gives a guest, an outsider and a stranger to the id the same 404 page', async () => {
    const guest = await addMember(workspace, 'guest');
    const outsider = await createUser();
    for (const cookie of [await signedInCookie(guest), await signedInCookie(outsider)]) {
      const response = await downloadAs(fileId, cookie);
      expect(response.status).toBe(404);
      expect(response.headers.get('Content-Type')).toContain('text/html');
    }
    expect((await downloadAs('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('never serves SVG or HTML inline, even when asked', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    await upload(memberCookie, [{ name: 'logo.png', bytes: svg, type: 'image/png' }]);
    const [file] = await filesNamed('logo.png');
    expect(file!.content_type).toBe('image/svg+xml');
    const response = await outcome(() =>
      download.loader({
        request: fileRequest(file!.id, '/download?inline=1'),
        context: loadContext(),
        params: { slug: workspace.slug, id: file!.id },
      }),
    );
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment;/);
    expect(response.headers.get('Content-Type')).toBe('application/octet-stream');
    await response.body?.cancel();
  });
});

describe('rename, trash and restore', () => {
  it('renames with a cleaned name, refuses a name of dots, and records each change', async () => {
    await upload(memberCookie, [{ name: 'draft.txt', bytes: Buffer.from('draft') }]);
    const [file] = await filesNamed('draft.txt');
    expect(
      (await postToFile(file!.id, { intent: 'rename', name: '  Final\u202e.txt ' })).status,
    ).toBe(303);
    expect((await owner`select name from files where id = ${file!.id}`)[0]!.name).toBe('Final.txt');
    const refused = await postToFile(file!.id, { intent: 'rename', name: '..' });
    expect(refused.status).toBe(422);
    expect((await owner`select name from files where id = ${file!.id}`)[0]!.name).toBe('Final.txt');

    expect((await postToFile(file!.id, { intent: 'delete' })).status).toBe(303);
    expect((await downloadAs(file!.id)).status).toBe(410);
    expect((await postToFile(file!.id, { intent: 'restore' })).status).toBe(303);
    const restored = await downloadAs(file!.id);
    expect(restored.status).toBe(200);
    await restored.body?.cancel();
    const actions =
      await owner`select action from audit_events where target_id = ${file!.id} order by id`;
    expect(actions.map((row) => row.action)).toEqual([
      'file.uploaded',
      'file.renamed',
      'file.deleted',
      'file.restored',
    ]);
  });

  it('lets only the uploader and managers rename or delete', async () => {
    await upload(memberCookie, [{ name: 'mine.txt', bytes: Buffer.from('mine') }]);
    const [file] = await filesNamed('mine.txt');
    const colleague = await addMember(workspace, 'member');
    const response = await postToFile(
      file!.id,
      { intent: 'delete' },
      await signedInCookie(colleague),
    );
    expect(response.status).toBe(403);
    const manager = await addMember(workspace, 'manager');
    expect(
      (await postToFile(file!.id, { intent: 'delete' }, await signedInCookie(manager))).status,
    ).toBe(303);
  });
});

describe('download links', () => {
  let file: { id: string; store_key: string };
  beforeAll(async () => {
    await upload(memberCookie, [{ name: 'shared.csv', bytes: Buffer.from('a,b\n1,2\n') }]);
    file = (await filesNamed('shared.csv'))[0] as unknown as typeof file;
  });

  const follow = (url: string) =>
    outcome(() =>
      fileLink.loader({ request: new Request(url), context: loadContext(), params: {} }),
    );

  it('works without signing in until it expires; a changed link is refused', async () => {
    const created = await postToFile(file.id, { intent: 'link', days: '7' });
    const { link } = (await created.json()) as { link: { url: string } };
    const response = await follow(link.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('a,b\n1,2\n');
    expect(response.headers.get('Content-Disposition')).toContain('shared.csv');

    const changed = new URL(link.url);
    changed.searchParams.set('name', 'other.csv');
    const tampered = await follow(changed.toString());
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('not valid');

    const expired = signFileLink(getEnv().sessionSecrets[0]!, {
      key: file.store_key,
      name: 'shared.csv',
      expires: Math.floor(Date.now() / 1000) - 1,
    });
    const late = await follow(`http://localhost/files/link?${expired}`);
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('expired');
    const audit =
      await owner`select action from audit_events where target_id = ${file.id} and action = 'file.link_created'`;
    expect(audit).toHaveLength(1);
  });

  it('stops working while its workspace is deleted', async () => {
    const other = await createTestWorkspace();
    const cookie = await signedInCookie(other.owner);
    await upload(cookie, [{ name: 'theirs.txt', bytes: Buffer.from('theirs') }], other.slug);
    const [theirs] = await owner`select id, store_key from files where workspace_id = ${other.id}`;
    const query = signFileLink(getEnv().sessionSecrets[0]!, {
      key: theirs!.store_key,
      name: 'theirs.txt',
      expires: Math.floor(Date.now() / 1000) + 600,
    });
    const working = await follow(`http://localhost/files/link?${query}`);
    expect(working.status).toBe(200);
    // A browser would read the body; cancelling it closes the file here.
    await working.body?.cancel();
    await deleteWorkspace({ userId: other.owner.id, workspaceId: other.id });
    expect((await follow(`http://localhost/files/link?${query}`)).status).toBe(410);
  });

  it('stops working once the file is deleted', async () => {
    const created = await postToFile(file.id, { intent: 'link', days: '1' });
    const { link } = (await created.json()) as { link: { url: string } };
    await postToFile(file.id, { intent: 'delete' });
    expect((await follow(link.url)).status).toBe(410);
  });
});

describe('moving an install to Supabase Storage and back (files:migrate)', () => {
  it('copies every file and thumbnail, checks them, and skips what is already there', async () => {
    const api = await startStorageApiServer();
    try {
      const env = {
        ...getEnv(),
        dataDir: root,
        SUPABASE_URL: api.url,
        SUPABASE_SERVICE_KEY: api.serviceKey,
        STORAGE_BUCKET: api.bucket,
      };
      await upload(memberCookie, [
        { name: 'to-move.png', bytes: await png(300, 200) },
        { name: 'to-move.txt', bytes: Buffer.from('move me') },
      ]);
      await runDueJobs();
      const lines: string[] = [];
      const first = await moveFilesBetweenStores(env, ['--to=supabase'], (line) =>
        lines.push(line),
      );
      expect(first.ok).toBe(true);
      const rows =
        await owner`select store_key, thumbnail_key, sha256 from files where name like 'to-move.%'`;
      for (const row of rows) {
        expect(sha256(api.objects().get(`${api.bucket}/${row.store_key}`)!.bytes)).toBe(row.sha256);
        if (row.thumbnail_key)
          expect(api.objects().has(`${api.bucket}/${row.thumbnail_key}`)).toBe(true);
      }
      expect(lines.at(-1)).toMatch(/0 failed/);
      const again: string[] = [];
      await moveFilesBetweenStores(env, ['--to=supabase'], (line) => again.push(line));
      expect(again.at(-1)).toMatch(/^Done: 0 copied, \d+ already there, 0 failed\.$/);
      expect((await moveFilesBetweenStores(env, [], () => {})).ok).toBe(false);
    } finally {
      await api.close();
    }
  });
});

describe('housekeeping', () => {
  it('sees keys, sizes and checksums across workspaces, never names', async () => {
    const keys = await withMaintenance((trx) =>
      trx.selectFrom('files').select(['storeKey', 'sha256']).execute(),
    );
    expect(keys.length).toBeGreaterThan(0);
    await expect(
      withMaintenance((trx) => trx.selectFrom('files').select('name').execute()),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('purges files 30 days in the trash, bytes and row, once', async () => {
    await upload(memberCookie, [
      { name: 'old.txt', bytes: Buffer.from('old') },
      { name: 'recent.txt', bytes: Buffer.from('new') },
    ]);
    const [old] = await filesNamed('old.txt');
    const [recent] = await filesNamed('recent.txt');
    await owner`update files set deleted_at = now() - interval '31 days' where id = ${old!.id}`;
    await owner`update files set deleted_at = now() - interval '29 days' where id = ${recent!.id}`;
    await purgeTrashJob.run({}, { attempt: 1, jobId: '1' });
    await purgeTrashJob.run({}, { attempt: 1, jobId: '2' });
    expect(await filesNamed('old.txt')).toHaveLength(0);
    expect(await filesNamed('recent.txt')).toHaveLength(1);
    await expect(store().get(old!.store_key)).rejects.toThrow(StoreError);
    const purged =
      await owner`select action from audit_events where target_id = ${old!.id} and action = 'file.purged'`;
    expect(purged).toHaveLength(1);
  });

  it('reports rows without objects and objects without rows', async () => {
    await upload(memberCookie, [{ name: 'lost.txt', bytes: Buffer.from('lost') }]);
    const [lost] = await filesNamed('lost.txt');
    await store().delete([lost!.store_key]);
    const strayKey = `${workspace.id}/00000000-0000-4000-8000-00000000beef`;
    await store().put(strayKey, Readable.from([Buffer.from('stray')]), {
      contentType: 'text/plain',
    });
    const report = await checkStore();
    expect(report.missingObjects).toContain(lost!.store_key);
    expect(report.objectsWithoutRow).toContain(strayKey);
    await store().delete([strayKey]);
  });

  it('removes the objects of a purged workspace', async () => {
    const doomed = await createTestWorkspace();
    await upload(
      await signedInCookie(doomed.owner),
      [{ name: 'x.txt', bytes: Buffer.from('x') }],
      doomed.slug,
    );
    expect(await objectsOf(doomed.id)).toHaveLength(1);
    await deleteWorkspace({ userId: doomed.owner.id, workspaceId: doomed.id });
    await owner`update workspaces set deleted_at = now() - interval '31 days' where id = ${doomed.id}`;
    await purgeJob.run({}, { attempt: 1, jobId: '1' });
    expect(await objectsOf(doomed.id)).toEqual([]);
  });
});

it('puts my uploads in my data export', async () => {
  const data = (await collectPersonalData(member.id)) as {
    files: Array<{ name: string; workspace: string }>;
  };
  expect(data.files).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: 'photo.txt', workspace: workspace.slug }),
    ]),
  );
});

describe('the workspace logo (an owner that takes only images)', () => {
  const postLogo = (cookie: string, part: Part) => {
    const form = new FormData();
    form.append(
      'logo',
      new File([new Uint8Array(part.bytes)], part.name, { type: part.type ?? '' }),
    );
    return outcome(() =>
      logoPage.action({
        request: browserRequest(`/w/${workspace.slug}/admin/logo`, cookie, {
          method: 'POST',
          body: form,
        }),
        context: loadContext(),
        params: { slug: workspace.slug },
      }),
    );
  };
  const logoAs = (cookie: string) =>
    outcome(() =>
      logoImage.loader({
        request: browserRequest(`/w/${workspace.slug}/logo`, cookie),
        context: loadContext(),
        params: { slug: workspace.slug },
      }),
    );

  it('refuses what is not an image, whatever its name, and keeps nothing', async () => {
    const cookie = await signedInCookie(workspace.owner);
    const before = await objectsOf(workspace.id);
    const response = await postLogo(cookie, {
      name: 'logo.png',
      bytes: Buffer.from('not a picture'),
      type: 'image/png',
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { result: { error: { logo: string[] } } };
    expect(body.result.error.logo[0]).toContain('files:problems.typeNotAccepted');
    expect(await objectsOf(workspace.id)).toEqual(before);
    expect(
      (await owner`select logo_file_id from workspaces where id = ${workspace.id}`)[0]!
        .logo_file_id,
    ).toBeNull();
  });

  it('shows an image to everyone in the workspace, and a new one sends the old to the trash', async () => {
    const cookie = await signedInCookie(workspace.owner);
    expect((await postLogo(cookie, { name: 'first.png', bytes: await png(200, 200) })).status).toBe(
      303,
    );
    const [first] = await filesNamed('first.png');
    const guest = await addMember(workspace, 'guest');
    const shown = await logoAs(await signedInCookie(guest));
    expect(shown.status).toBe(200);
    expect(shown.headers.get('Content-Type')).toBe('image/png');
    await shown.body?.cancel();

    expect(
      (
        await postLogo(cookie, {
          name: 'second.webp',
          bytes: await sharp(await png(64, 64))
            .webp()
            .toBuffer(),
        })
      ).status,
    ).toBe(303);
    const [second] = await filesNamed('second.webp');
    const [row] = await owner`select logo_file_id from workspaces where id = ${workspace.id}`;
    expect(row!.logo_file_id).toBe(second!.id);
    expect((await filesNamed('first.png'))[0]!.deleted_at).not.toBeNull();
    expect(first!.owner_kind).toBe('workspace_logo');
  });

  it('leaves the logo file to admins: a manager cannot trash it, and a trashed logo is not shown', async () => {
    const [row] = await owner`select logo_file_id from workspaces where id = ${workspace.id}`;
    const manager = await addMember(workspace, 'manager');
    const refused = await postToFile(
      row!.logo_file_id,
      { intent: 'delete' },
      await signedInCookie(manager),
    );
    expect(refused.status).toBe(404);
    const ownerCookie = await signedInCookie(workspace.owner);
    expect((await postToFile(row!.logo_file_id, { intent: 'delete' }, ownerCookie)).status).toBe(
      303,
    );
    expect(
      (await owner`select logo_file_id from workspaces where id = ${workspace.id}`)[0]!
        .logo_file_id,
    ).toBeNull();
    expect((await logoAs(ownerCookie)).status).toBe(404);
  });

  it('is changed by admins only', async () => {
    const response = await postLogo(memberCookie, { name: 'mine.png', bytes: await png(50, 50) });
    expect(response.status).toBe(403);
  });
});

describe('what a client cannot make the server do', () => {
  const rawUpload = (body: Buffer, boundary = 'XyZ') =>
    outcome(() =>
      filesPage.action({
        request: browserRequest(`/w/${workspace.slug}/files`, memberCookie, {
          method: 'POST',
          headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
          body: new Uint8Array(body),
        }),
        context: loadContext(),
        params: { slug: workspace.slug },
      }),
    );

  it('refuses a part header of a megabyte as a bad request, without a 500', async () => {
    const body = Buffer.concat([
      Buffer.from(
        `--XyZ\r\nContent-Disposition: form-data; name="files"; filename="${'a'.repeat(1024 * 1024)}"\r\n\r\n`,
      ),
      Buffer.from('hello\r\n--XyZ--\r\n'),
    ]);
    expect((await rawUpload(body)).status).toBe(400);
  });

  it('refuses a form of thousands of fields (413) and one of too many files (422)', async () => {
    const fields = Array.from(
      { length: 5000 },
      (_, index) => `--XyZ\r\nContent-Disposition: form-data; name="f${index}"\r\n\r\nx\r\n`,
    ).join('');
    expect((await rawUpload(Buffer.from(`${fields}--XyZ--\r\n`))).status).toBe(413);
    const many = await upload(
      memberCookie,
      Array.from({ length: 11 }, (_, index) => ({
        name: `many-${index}.txt`,
        bytes: Buffer.from(`file ${index}`),
      })),
    );
    expect(many.status).toBe(422);
    expect(await filesNamed('many-0.txt')).toHaveLength(0);
  });

  it('stops reading a download when the client has gone, and answers HEAD without the body', async () => {
    await upload(memberCookie, [{ name: 'paced.bin', bytes: randomBytes(300_000) }]);
    const [file] = await filesNamed('paced.bin');
    const gone = await outcome(() =>
      download.loader({
        request: fileRequest(file!.id, '/download'),
        context: { ...loadContext(), clientReady: async () => false },
        params: { slug: workspace.slug, id: file!.id },
      }),
    );
    expect((await gone.arrayBuffer()).byteLength).toBe(0);
    const head = await outcome(() =>
      download.loader({
        request: fileRequest(file!.id, '/download', memberCookie, { method: 'HEAD' }),
        context: loadContext(),
        params: { slug: workspace.slug, id: file!.id },
      }),
    );
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Length')).toBe('300000');
    expect(head.body).toBeNull();
  });

  it('stops a file at the workspace’s remaining room, in the same request', async () => {
    const small = await createTestWorkspace();
    await owner`update workspaces set storage_quota_bytes = 1000 where id = ${small.id}`;
    const response = await upload(
      await signedInCookie(small.owner),
      [
        { name: 'a.txt', bytes: Buffer.alloc(600, 'a') },
        { name: 'b.txt', bytes: Buffer.alloc(600, 'b') },
      ],
      small.slug,
    );
    expect(response.status).toBe(413);
    expect(await objectsOf(small.id)).toEqual([]);
  });
});
