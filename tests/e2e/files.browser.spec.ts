import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, signIn, test } from './fixtures';

/** The e2e server's upload limit (scripts/e2e-server.js sets FILE_MAX_BYTES to 1 MB). */
const FILE_MAX_BYTES = 1024 * 1024;

type Upload = { name: string; mimeType: string; buffer: Buffer };
type Submit = (name: string | RegExp, page?: Page) => Promise<void>;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const png = () =>
  sharp({ create: { width: 640, height: 400, channels: 3, background: '#3347c4' } })
    .png()
    .toBuffer();

/** The files table's link to a file (a name cell), whatever else the table holds. */
const fileLink = (page: Page, name: string) =>
  page.getByRole('table').getByRole('link', { name, exact: true });

/** The upload form's file field ("Files", as the table of files is also named). */
const fileInput = (page: Page) =>
  page.getByRole('region', { name: 'Upload files' }).getByLabel('Files', { exact: true });

/** Uploads through the Files page's form and returns each file's page, by name. */
async function upload(page: Page, submit: Submit, files: Upload[]) {
  await page.goto('/w/acme/files');
  await fileInput(page).setInputFiles(files);
  await submit('Upload', page);
  await expect(page).toHaveURL('/w/acme/files');
  await expect(page.getByRole('status')).toHaveText(
    files.length === 1 ? 'Uploaded 1 file.' : `Uploaded ${files.length} files.`,
  );
  const pages: Record<string, string> = {};
  for (const file of files) {
    const href = await fileLink(page, file.name).getAttribute('href');
    expect(href, file.name).toMatch(/^\/w\/acme\/files\/[0-9a-f-]{36}$/);
    pages[file.name] = href!;
  }
  return pages;
}

/** A second person in a browser of their own, as the project runs (JavaScript on or off). */
async function otherBrowser(browser: Browser, javaScript: boolean) {
  const context = await browser.newContext({
    javaScriptEnabled: javaScript,
    extraHTTPHeaders: {
      'X-Forwarded-For': `10.7.${randomBytes(1)[0]! % 250}.${randomBytes(1)[0]! % 250}`,
    },
  });
  return { context, page: await context.newPage() };
}

test('a member uploads an image and a text file, sees the thumbnail and downloads the same bytes', async ({
  page,
  submit,
  expectAccessible,
  unique,
}) => {
  const image = { name: `poster-${unique}.png`, mimeType: 'image/png', buffer: await png() };
  const notes = {
    name: `notes-${unique}.txt`,
    mimeType: 'text/plain',
    buffer: Buffer.from(`Notes for ${unique}\nSecond line.\n`),
  };
  await signIn(page, submit, 'member@acme.test');
  await page.goto('/w/acme');
  await page.getByRole('link', { name: 'Files', exact: true }).click();
  await expect(page).toHaveURL('/w/acme/files');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Files');
  await expect(page.getByRole('meter', { name: 'Storage used' })).toBeVisible();
  const pages = await upload(page, submit, [image, notes]);
  await expect(fileLink(page, notes.name)).toBeVisible();
  await expect(fileLink(page, image.name)).toBeVisible();

  // The thumbnail comes from a background job: reload until the row shows it.
  const imageRow = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: image.name, exact: true }) });
  const thumbnail = imageRow.locator(`img[src="${pages[image.name]}/thumbnail"]`);
  await expect(async () => {
    await page.reload();
    await expect(thumbnail).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(thumbnail).toHaveAttribute('alt', '');
  const thumbnailResponse = await page.request.get(`${pages[image.name]}/thumbnail`);
  expect(thumbnailResponse.status()).toBe(200);
  expect(thumbnailResponse.headers()['content-type']).toBe('image/webp');
  expect((await sharp(await thumbnailResponse.body()).metadata()).format).toBe('webp');
  // The text file has no picture.
  const notesRow = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: notes.name, exact: true }) });
  await expect(notesRow.locator('img')).toHaveCount(0);
  await expect(notesRow).toContainText('Marco Rossi');

  // Its page: the preview, the details, the checksum of what was sent.
  await fileLink(page, image.name).click();
  await expect(page).toHaveURL(pages[image.name]!);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(image.name);
  await expect(page.getByRole('img', { name: `Preview of ${image.name}` })).toBeVisible();
  await expect(page.locator('main')).toContainText('Image (image/png)');
  await expect(page.locator('main')).toContainText(sha256(image.buffer));
  await expect(page.locator('main')).toContainText('Marco Rossi');
  await expect(page.getByRole('link', { name: 'Open the image' })).toBeVisible();
  await expectAccessible();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download', exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(image.name);
  expect(sha256(readFileSync((await download.path())!))).toBe(sha256(image.buffer));
});

test('a member renames a file, moves it to the trash (its download is gone) and restores it', async ({
  page,
  submit,
  visit,
  expectAccessible,
  unique,
}) => {
  const image = { name: `poster-${unique}.png`, mimeType: 'image/png', buffer: await png() };
  const notes = { name: `notes-${unique}.txt`, mimeType: 'text/plain', buffer: Buffer.from('n') };
  await signIn(page, submit, 'member@acme.test');
  const pages = await upload(page, submit, [image, notes]);
  await fileLink(page, image.name).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(image.name);

  // Renamed.
  const renamed = `cover-${unique}.png`;
  await page.getByLabel('Name', { exact: true }).fill(renamed);
  await submit('Save the name');
  await expect(page).toHaveURL(pages[image.name]!);
  await expect(page.getByRole('status')).toHaveText('The file was renamed.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(renamed);

  // To the trash: gone from the list, and its download says so.
  await expect(page.getByRole('region', { name: 'Delete' })).toContainText(
    'The file goes to the trash, where it can be restored for 30 days.',
  );
  await submit('Move to the trash');
  await expect(page).toHaveURL('/w/acme/files');
  await expect(page.getByRole('status')).toHaveText(
    `“${renamed}” was moved to the trash. It can be restored for 30 days.`,
  );
  await expect(fileLink(page, renamed)).toHaveCount(0);
  await expect(fileLink(page, notes.name)).toBeVisible();
  const gone = await page.request.get(`${pages[image.name]}/download`);
  expect(gone.status()).toBe(410);
  expect(await gone.text()).toContain('Gone');
  await visit(pages[image.name]!);
  await expect(page.getByRole('status')).toContainText('This file is in the trash.');
  await expect(page.getByRole('button', { name: 'Restore', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download', exact: true })).toHaveCount(0);
  await page.goto('/w/acme/files');

  // Restored from the trash, and back in the list.
  await page.getByRole('link', { name: 'Trash', exact: true }).click();
  await expect(page).toHaveURL('/w/acme/files/trash');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trash');
  await expect(page.locator('main')).toContainText('Deleted files stay here for 30 days');
  await expect(fileLink(page, renamed)).toBeVisible();
  await expectAccessible();
  await submit(`Restore ${renamed}`);
  await expect(page).toHaveURL(pages[image.name]!);
  await expect(page.getByRole('status')).toHaveText(`“${renamed}” was restored.`);
  await page.goto('/w/acme/files');
  await page.getByRole('search', { name: 'Filter files' }).getByLabel('Name contains').fill(unique);
  await submit('Apply filters');
  await expect(page).toHaveURL(/[?&]q=/);
  await expect(fileLink(page, renamed)).toBeVisible();
  await expect(fileLink(page, notes.name)).toBeVisible();
  expect((await page.request.get(`${pages[image.name]}/download`)).status()).toBe(200);
});

test('a file over the limit is refused with a page that says so, and an empty one with the form', async ({
  page,
  submit,
  visit,
  unique,
}) => {
  await signIn(page, submit, 'member@acme.test');
  await visit('/w/acme/files');
  await expect(page.getByText('1 MB each')).toBeVisible();

  // A small file first, then one a kilobyte over the limit: neither is kept.
  const small = { name: `fine-${unique}.txt`, mimeType: 'text/plain', buffer: Buffer.from('ok') };
  const big = {
    name: `big-${unique}.bin`,
    mimeType: 'application/octet-stream',
    buffer: randomBytes(FILE_MAX_BYTES + 1024),
  };
  await fileInput(page).setInputFiles([small, big]);
  const tooLarge = page.waitForResponse((r) => r.request().method() === 'POST');
  await submit('Upload');
  expect((await tooLarge).status()).toBe(413);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('That was too large');
  await expect(page.locator('main')).toContainText(
    `“${big.name}” is larger than 1 MB, the most one file may be. Nothing was uploaded.`,
  );
  await visit(`/w/acme/files?q=${unique}`);
  await expect(page.getByText('No files match.')).toBeVisible();

  // An empty file: the form again, with the problem named.
  const empty = { name: `empty-${unique}.txt`, mimeType: 'text/plain', buffer: Buffer.alloc(0) };
  await visit('/w/acme/files');
  await fileInput(page).setInputFiles(empty);
  const refused = page.waitForResponse((r) => r.request().method() === 'POST');
  await submit('Upload');
  expect((await refused).status()).toBe(422);
  const summary = page.getByRole('alert');
  await expect(summary.getByRole('heading')).toHaveText('There is a problem');
  await expect(summary).toContainText(
    `“${empty.name}” is empty. Choose a file with something in it.`,
  );
  await expect(fileInput(page)).toHaveAttribute('aria-invalid', 'true');
  await visit(`/w/acme/files?q=${unique}`);
  await expect(page.getByText('No files match.')).toBeVisible();
});

test('someone from another workspace and a guest find no file of the library', async ({
  page,
  browser,
  submit,
  expectAccessible,
  javaScript,
  unique,
}) => {
  await signIn(page, submit, 'member@acme.test');
  const file = { name: `private-${unique}.txt`, mimeType: 'text/plain', buffer: Buffer.from('x') };
  const filePage = (await upload(page, submit, [file]))[file.name]!;

  for (const [email, notFound] of [
    ['owner@globex.test', 'Página no encontrada'], // a Spanish speaker
    ['guest@acme.test', 'Page not found'],
  ] as const) {
    const other = await otherBrowser(browser, javaScript);
    await signIn(other.page, submit, email);
    for (const path of [filePage, `${filePage}/download`]) {
      const response = await other.page.goto(path);
      expect(response?.status(), `${email} ${path}`).toBe(404);
      await expect(other.page.getByRole('heading', { level: 1 })).toHaveText(notFound);
      await expect(other.page.locator('body')).not.toContainText(file.name);
      // The same two pages in Spanish would add only time to axe's checks.
      if (email === 'guest@acme.test') await expectAccessible(other.page);
    }
    await other.context.close();
  }
});

test('a download link works without signing in, and a changed one does not', async ({
  page,
  browser,
  playwright,
  submit,
  expectAccessible,
  javaScript,
  unique,
}) => {
  await signIn(page, submit, 'member@acme.test');
  const file = {
    name: `data-${unique}.bin`,
    mimeType: 'application/octet-stream',
    buffer: randomBytes(4096),
  };
  const filePage = (await upload(page, submit, [file]))[file.name]!;
  await page.goto(filePage);
  await page.getByLabel('Link works for').selectOption({ label: '7 days' });
  await submit('Create a link');
  const field = page.getByLabel('Download link, valid for 7 days');
  await expect(field).toHaveValue(/\/files\/link\?/);
  const link = new URL(await field.inputValue());

  const stranger = await playwright.request.newContext({
    extraHTTPHeaders: { 'X-Forwarded-For': `10.8.${randomBytes(1)[0]! % 250}.1` },
  });
  const response = await stranger.get(link.href);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-disposition']).toMatch(/^attachment/);
  expect(response.headers()['content-disposition']).toContain(file.name);
  expect(sha256(await response.body())).toBe(sha256(file.buffer));
  await stranger.dispose();

  // The same link with another name: refused, in a browser with no session.
  const changed = new URL(link);
  changed.searchParams.set('name', `other-${unique}.bin`);
  const other = await otherBrowser(browser, javaScript);
  const refused = await other.page.goto(changed.href);
  expect(refused?.status()).toBe(403);
  await expect(other.page.locator('main')).toContainText('This download link is not valid');
  await expectAccessible(other.page);
  await other.context.close();
});
