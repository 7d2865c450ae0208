import { randomBytes } from 'node:crypto';
import type { Browser } from '@playwright/test';
import { expect, signIn, test } from './fixtures';

/** A second person in a browser of their own, as the project runs (JavaScript on or off). */
async function otherBrowser(browser: Browser, javaScript: boolean) {
  const context = await browser.newContext({
    javaScriptEnabled: javaScript,
    extraHTTPHeaders: {
      'X-Forwarded-For': `10.8.${randomBytes(1)[0]! % 250}.${randomBytes(1)[0]! % 250}`,
    },
  });
  return { context, page: await context.newPage() };
}

test('a member creates a project, adds a guest as a viewer and a file; the guest sees it, an outsider does not', async ({
  page,
  browser,
  javaScript,
  submit,
  visit,
  unique,
}) => {
  const key = `T${unique.toUpperCase()}`.slice(0, 10);
  const name = `Shop fit-out ${unique}`;
  await signIn(page, submit, 'member@acme.test');
  await page.goto('/w/acme');
  await page.getByRole('link', { name: 'Projects', exact: true }).click();
  await expect(page).toHaveURL('/w/acme/projects');
  await expect(page.getByRole('link', { name: /Spring catalogue/ })).toBeVisible();

  await page.getByRole('link', { name: 'New project' }).click();
  await expect(page).toHaveURL('/w/acme/projects/new');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Key', { exact: true }).fill(key.toLowerCase());
  await page.getByLabel('Description').fill('Shelves, lights and **signs** <b>not html</b>');
  await page.getByLabel('Target date').fill('2027-03-31');
  await submit('Create the project');
  await expect(page).toHaveURL(`/w/acme/projects/${key}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.locator('.prose strong')).toHaveText('signs');
  await expect(page.locator('.prose')).toContainText('<b>not html</b>');
  await expect(page.locator('main')).toContainText('Marco Rossi');

  // The creator leads it, so adds people.
  await page.getByRole('link', { name: 'Members', exact: true }).click();
  await expect(page).toHaveURL(`/w/acme/projects/${key}/members`);
  await page.getByLabel('Person').selectOption({ label: 'Grace Guo (guest)' });
  await page.getByLabel('Role in the project').selectOption('member');
  await submit('Add to the project');
  await expect(page.getByRole('status')).toHaveText('They were added to the project.');
  const guestRow = page.getByRole('row').filter({ hasText: 'Grace Guo' });
  await expect(guestRow).toContainText('Viewer');

  // A file attached to the project.
  await visit(`/w/acme/projects/${key}`);
  await page.getByLabel('Add files to the project').setInputFiles({
    name: `layout-${unique}.txt`,
    mimeType: 'text/plain',
    buffer: Buffer.from('Shelving layout, aisle 3\n'),
  });
  await submit('Upload');
  await expect(page).toHaveURL(`/w/acme/projects/${key}`);
  await expect(page.getByRole('link', { name: `layout-${unique}.txt` })).toBeVisible();

  // The guest sees the project and its file; nothing of projects they are not in.
  const guest = await otherBrowser(browser, javaScript);
  await signIn(guest.page, submit, 'guest@acme.test');
  await visit('/w/acme/projects', guest.page);
  await expect(guest.page.getByRole('link', { name: new RegExp(name) })).toBeVisible();
  await expect(guest.page.getByRole('link', { name: /Website relaunch/ })).toHaveCount(0);
  await visit(`/w/acme/projects/${key}`, guest.page);
  await expect(guest.page.getByRole('link', { name: `layout-${unique}.txt` })).toBeVisible();
  // A viewer reads; the upload form is not theirs.
  await expect(guest.page.getByLabel('Add files to the project')).toHaveCount(0);
  const website = await guest.page.goto('/w/acme/projects/WEB');
  expect(website?.status()).toBe(404);
  await guest.context.close();

  const outsider = await otherBrowser(browser, javaScript);
  await signIn(outsider.page, submit, 'owner@globex.test');
  const response = await outsider.page.goto(`/w/acme/projects/${key}`);
  expect(response?.status()).toBe(404);
  await outsider.context.close();
});

test('a project form that cannot be saved says why, and an edit is kept', async ({
  page,
  submit,
  unique,
}) => {
  await signIn(page, submit, 'manager@acme.test');
  await page.goto('/w/acme/projects/new');
  await page.getByLabel('Name', { exact: true }).fill(`Clash ${unique}`);
  await page.getByLabel('Key', { exact: true }).fill('SPRING');
  await page.getByLabel('Start date').fill('2027-05-01');
  await page.getByLabel('Target date').fill('2027-04-01');
  await submit('Create the project');
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('The target date cannot be before the start date.');
  await page.getByLabel('Target date').fill('2027-06-01');
  await submit('Create the project');
  await expect(page.getByRole('alert')).toContainText('Another project already uses this key.');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(`Clash ${unique}`);

  const key = `C${unique.toUpperCase()}`.slice(0, 10);
  await page.getByLabel('Key', { exact: true }).fill(key);
  await submit('Create the project');
  await expect(page).toHaveURL(`/w/acme/projects/${key}`);

  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.getByLabel('Status').selectOption('on_hold');
  await submit('Save changes');
  await expect(page).toHaveURL(`/w/acme/projects/${key}`);
  await expect(page.getByRole('status')).toHaveText('The project was saved.');
  await expect(page.locator('main')).toContainText('On hold');
});
