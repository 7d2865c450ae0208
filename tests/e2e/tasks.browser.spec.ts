import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures';

async function otherBrowser(browser: Browser, javaScript: boolean) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  return { context, page: await context.newPage() };
}

/** Creates a task in the Spring catalogue through the form; returns its key (SPRING-n). */
async function newTask(
  page: Page,
  submit: (name: string, page?: Page) => Promise<void>,
  fields: { title: string; assignee?: string; priority?: string; due?: string },
) {
  await page.goto('/w/acme/projects/SPRING/tasks/new');
  await page.getByLabel('Title').fill(fields.title);
  if (fields.assignee) await page.getByLabel('Assignee').selectOption({ label: fields.assignee });
  if (fields.priority) await page.getByLabel('Priority').selectOption({ label: fields.priority });
  if (fields.due) await page.getByLabel('Due date').fill(fields.due);
  await submit('Create task', page);
  await expect(page).toHaveURL(/\/w\/acme\/tasks\/SPRING-\d+$/);
  return new URL(page.url()).pathname.split('/').at(-1)!;
}

test('a lead creates, edits, moves and assigns a task, and a mention reaches the person mentioned', async ({
  page,
  browser,
  javaScript,
  submit,
  visit,
  mailTo,
  unique,
}) => {
  await signIn(page, submit, 'manager@acme.test');
  const title = `Order shelf labels ${unique}`;
  const key = await newTask(page, submit, {
    title,
    assignee: 'Marco Rossi',
    priority: 'High',
    due: '2027-01-15',
  });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('#task-summary')).toContainText('Jan 15, 2027');

  // An empty title is refused with a message, and nothing changes.
  await page.getByRole('link', { name: 'Edit title and description' }).click();
  await page.getByLabel('Title').fill(' ');
  await submit('Save changes');
  await expect(page.getByRole('alert')).toContainText('Enter a title.');
  await page.getByLabel('Title').fill(`${title} (A5)`);
  await page.getByLabel('Description').fill('Use the **matte** stock.');
  await submit('Save changes');
  await expect(page).toHaveURL(`/w/acme/tasks/${key}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${title} (A5)`);
  await expect(page.locator('.prose strong').first()).toHaveText('matte');

  await page.locator('#task-summary').getByLabel('Status').selectOption({ label: 'In progress' });
  await submit('Save details');
  await expect(page.locator('#task-activity')).toContainText(
    'Maya Müller moved it from To do to In progress',
  );

  // The board: move the card with its own form, then reassign it.
  await visit('/w/acme/projects/SPRING/board');
  const card = page.locator('li.card', { hasText: title });
  await card.getByLabel(`Move ${key} to`).selectOption({ label: 'In review' });
  if (javaScript) {
    const answer = page.waitForResponse((response) => response.url().endsWith(`/${key}/card`));
    await card.getByRole('button', { name: `Move ${key}` }).click();
    // htmx swaps only the card: it lands in the other column, the change is announced, and
    // the answer is that fragment, not a page around it.
    const fragment = await (await answer).text();
    expect(fragment).not.toContain('<html');
    expect(fragment).toContain('hx-swap-oob');
    await expect(page.locator('#board-announcer')).toHaveText(`${key} is now in In review.`);
    await expect(
      page.getByRole('region', { name: /In review/ }).getByRole('link', { name: new RegExp(key) }),
    ).toBeFocused();
  } else await submit(`Move ${key}`);
  const review = page.getByRole('region', { name: /In review/ });
  await expect(review.locator('li.card', { hasText: title })).toBeVisible();
  const moved = review.locator('li.card', { hasText: title });
  await moved.getByLabel(`Assign ${key} to`).selectOption({ label: 'Maya Müller' });
  if (javaScript) {
    // The card's options already name Maya: wait for the answer, not for her name.
    const answer = page.waitForResponse((response) => response.url().endsWith(`/${key}/card`));
    await moved.getByRole('button', { name: `Assign ${key}` }).click();
    expect((await answer).status()).toBe(200);
  } else await submit(`Assign ${key}`);
  await expect(page.locator('li.card', { hasText: title })).toContainText('Maya Müller');
  await expect(page.locator('li.card', { hasText: title }).getByRole('link')).toBeVisible();
  await page.goto(`/w/acme/tasks/${key}`);
  await expect(page.locator('#task-activity')).toContainText(
    'changed the assignee from Marco Rossi to Maya Müller',
  );

  // A comment that mentions Marco.
  await page.getByLabel('Add a comment').fill(`@Marco can you confirm the sizes? ${unique}`);
  await submit('Post comment');
  await expect(page.locator('#task-comments .mention')).toContainText('@Marco');

  const marco = await otherBrowser(browser, javaScript);
  await signIn(marco.page, submit, 'member@acme.test');
  await visit('/w/acme/notifications', marco.page);
  const notification = marco.page.getByRole('link', {
    name: new RegExp(`Maya Müller mentioned you in ${key}`),
  });
  await expect(notification.first()).toBeVisible();
  await notification.first().click();
  await expect(marco.page).toHaveURL(new RegExp(`/w/acme/tasks/${key}`));
  await marco.context.close();
  const mail = await mailTo('member@acme.test', new RegExp(`mentioned you in ${key}`));
  expect(mail.text).toContain(`/w/acme/tasks/${key}`);
});

test('bulk edit, a saved view and the CSV of a filtered list', async ({
  page,
  submit,
  visit,
  unique,
}) => {
  await signIn(page, submit, 'manager@acme.test');
  const first = await newTask(page, submit, { title: `Frame the poster ${unique}` });
  const second = await newTask(page, submit, { title: `Hang the poster ${unique}` });
  await visit(`/w/acme/projects/SPRING/tasks?q=${unique}`);
  await expect(page.getByRole('row')).toHaveCount(3);

  // Nothing chosen: the form says so.
  await page.getByLabel(`Select ${first}`).check();
  await submit('Apply to selected');
  await expect(page.getByRole('alert')).toContainText('Choose at least one change to make.');

  await page.getByLabel(`Select ${first}`).check();
  await page.getByLabel(`Select ${second}`).check();
  await page.locator('.bulk-edit').getByLabel('Priority').selectOption({ label: 'Urgent' });
  await page.locator('.bulk-edit').getByLabel('Assignee').selectOption({ label: 'Marco Rossi' });
  await submit('Apply to selected');
  await expect(page.getByRole('status')).toHaveText('2 tasks changed.');
  await expect(page).toHaveURL(`/w/acme/projects/SPRING/tasks?q=${unique}`);
  for (const key of [first, second])
    await expect(page.getByRole('row', { name: new RegExp(key) })).toContainText('Urgent');

  await page.getByLabel('Name for this view').fill(`Posters ${unique}`);
  await submit('Save view');
  await visit('/w/acme/projects/SPRING/tasks');
  await page.getByRole('link', { name: `Posters ${unique}` }).click();
  await expect(page).toHaveURL(`/w/acme/projects/SPRING/tasks?q=${unique}`);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  const csv = readFileSync((await download.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines).toHaveLength(3);
  expect(csv).toContain(`${first},Frame the poster ${unique},To do,Marco Rossi,Urgent`);
});

test('a guest reads and comments but changes nothing; an outsider sees nothing', async ({
  page,
  browser,
  javaScript,
  submit,
  visit,
  unique,
}) => {
  await signIn(page, submit, 'manager@acme.test');
  const key = await newTask(page, submit, { title: `Caption the photos ${unique}` });

  const guest = await otherBrowser(browser, javaScript);
  await signIn(guest.page, submit, 'guest@acme.test');
  await visit(`/w/acme/tasks/${key}`, guest.page);
  await expect(guest.page.getByRole('button', { name: 'Save details' })).toHaveCount(0);
  await visit('/w/acme/projects/SPRING/board', guest.page);
  await expect(guest.page.getByRole('button', { name: 'Move' })).toHaveCount(0);
  await guest.page.goto(`/w/acme/tasks/${key}`);
  await guest.page.getByLabel('Add a comment').fill(`Two captions need the credit line. ${unique}`);
  await submit('Post comment', guest.page);
  await expect(guest.page.locator('#task-comments')).toContainText('credit line');
  // The website project is not theirs: its tasks are as if they did not exist.
  expect((await guest.page.goto('/w/acme/tasks/WEB-1'))?.status()).toBe(404);
  expect((await guest.page.goto('/w/acme/projects/WEB/board'))?.status()).toBe(404);
  await guest.context.close();

  const outsider = await otherBrowser(browser, javaScript);
  await signIn(outsider.page, submit, 'owner@globex.test');
  expect((await outsider.page.goto(`/w/acme/tasks/${key}`))?.status()).toBe(404);
  await outsider.context.close();
});
