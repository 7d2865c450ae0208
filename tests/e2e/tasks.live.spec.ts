import type { Browser } from '@playwright/test';
import { expect, signIn, test } from './fixtures';

/** A person in a browser of their own, with JavaScript (live updates need it). */
async function person(browser: Browser) {
  const context = await browser.newContext({ javaScriptEnabled: true });
  // Marks when the page's live stream is open, so a test acts only once it is listening.
  await context.addInitScript(() =>
    document.addEventListener('htmx:sseOpen', () => {
      (window as { sseOpen?: boolean }).sseOpen = true;
    }),
  );
  return { context, page: await context.newPage() };
}

test('two people on the same board and task see each other’s changes without reloading', async ({
  browser,
  submit,
  expectAccessible,
  unique,
}) => {
  const maya = await person(browser);
  const marco = await person(browser);
  await signIn(maya.page, submit, 'manager@acme.test');
  await signIn(marco.page, submit, 'member@acme.test');

  // A project of this test's own: other tests' changes on a shared board would take over the
  // board's announcement while this one waits for its own.
  const projectKey = `L${unique.toUpperCase()}`.slice(0, 10);
  await maya.page.goto('/w/acme/projects/new');
  await maya.page.getByLabel('Name', { exact: true }).fill(`Live ${unique}`);
  await maya.page.getByLabel('Key', { exact: true }).fill(projectKey);
  await submit('Create the project', maya.page);
  await maya.page.goto(`/w/acme/projects/${projectKey}/tasks/new`);
  const title = `Check the proofs ${unique}`;
  await maya.page.getByLabel('Title').fill(title);
  await submit('Create task', maya.page);
  const key = new URL(maya.page.url()).pathname.split('/').at(-1)!;

  // Marco watches the board; Maya moves the card on hers.
  await marco.page.goto(`/w/acme/projects/${projectKey}/board`);
  await expectAccessible(marco.page);
  const connected = (page: typeof marco.page) =>
    page.waitForFunction(() => (window as { sseOpen?: boolean }).sseOpen === true);
  await connected(marco.page);
  await maya.page.goto(`/w/acme/projects/${projectKey}/board`);
  const card = maya.page.locator('li.card', { hasText: title });
  await card.getByLabel(`Move ${key} to`).selectOption({ label: 'Done' });
  await card.getByRole('button', { name: `Move ${key}` }).click();

  const done = marco.page.getByRole('region', { name: /^Done/ });
  await expect(done.locator('li.card', { hasText: title })).toBeVisible({ timeout: 3000 });
  await expect(marco.page.locator('#board-announcer')).toHaveText(`${key} is now in Done.`);
  await expectAccessible(marco.page);

  // On the task's page: Maya's comment appears on Marco's open page.
  await marco.page.goto(`/w/acme/tasks/${key}`);
  await connected(marco.page);
  await maya.page.goto(`/w/acme/tasks/${key}`);
  const badge = marco.page.locator('#notification-count .badge');
  const unreadBefore = Number((await badge.count()) ? await badge.textContent() : 0);
  await maya.page.getByLabel('Add a comment').fill(`@Marco proofs approved ${unique}`);
  await submit('Post comment', maya.page);
  await expect(marco.page.locator('#task-comments')).toContainText(`proofs approved ${unique}`, {
    timeout: 3000,
  });
  // The mention also reaches the header's count on the same stream (other tests may mention
  // Marco at the same time, so: more than before).
  await expect
    .poll(async () => Number(await badge.textContent()), { timeout: 3000 })
    .toBeGreaterThan(unreadBefore);
  await expectAccessible(marco.page);
  await maya.context.close();
  await marco.context.close();
});
