import { expect, linkIn, test } from './fixtures';

/**
 * The first ten minutes of a new customer: sign up, confirm the address from the mail, create
 * a workspace, invite a colleague who joins with a new account, give them a role, and find
 * each step in the audit log.
 */
test('a new customer sets up a workspace and brings in a colleague', async ({
  page,
  browser,
  visit,
  submit,
  mailTo,
  unique,
  expectAccessible,
}) => {
  const email = `founder-${unique}@example.test`;
  const colleague = `colleague-${unique}@example.test`;
  const slug = `studio-${unique}`;

  await visit('/signup');
  await page.getByLabel('Full name').fill('Frida Founder');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('New password', { exact: true }).fill('plum tuesday orchard');
  await submit('Create account');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your inbox');

  const verification = await mailTo(email, /Confirm your email address/);
  await visit(linkIn(verification.text, '/verify-email/'));
  await submit('Confirm my address');
  await expect(page).toHaveURL('/workspaces/new');
  await expect(page.getByRole('status')).toContainText('Your email address is confirmed');

  await page.getByLabel('Name').fill(`Studio ${unique}`);
  await page.getByLabel('Web address').fill(slug);
  await submit('Create workspace');
  await expect(page).toHaveURL(`/w/${slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Studio ${unique}`);

  await visit(`/w/${slug}/admin/members`);
  const invite = page.locator('form#invitation');
  await invite.getByLabel('Email address').fill(colleague);
  await invite.getByRole('combobox', { name: 'Role' }).selectOption('member');
  await submit('Send invitation');
  await expect(page.getByRole('status')).toContainText(`Invitation sent to ${colleague}`);
  await expect(page.getByRole('table', { name: /Invitations sent/ })).toContainText(colleague);

  // The colleague, in their own browser, follows the link and makes an account.
  const invitation = await mailTo(colleague, /invited you to Studio/);
  const theirs = await browser.newContext();
  const other = await theirs.newPage();
  await visit(linkIn(invitation.text, '/invitations/'), other);
  await expect(other.getByRole('heading', { level: 1 })).toHaveText(`Join Studio ${unique}`);
  await other.getByLabel('Full name').fill('Carla Colleague');
  await other.getByLabel('New password').fill('violet harbour lamp');
  await submit('Create account and join', other);
  await expect(other).toHaveURL(`/w/${slug}`);
  await expect(other.getByRole('status')).toContainText('You have joined the workspace');
  await theirs.close();

  await visit(`/w/${slug}/admin/members`);
  await page.getByRole('link', { name: 'Carla Colleague' }).click();
  await page.waitForURL(/\/admin\/members\/[0-9a-f-]{36}$/);
  await expectAccessible();
  await page.getByRole('combobox', { name: 'Role' }).selectOption('manager');
  await submit('Change role');
  await expect(page.getByRole('status')).toContainText('The role has been changed');

  await visit(`/w/${slug}/admin/audit`);
  const log = page.getByRole('table', { name: 'Recorded actions, newest first' });
  for (const step of [
    'Created the workspace',
    'Invited someone',
    'Joined the workspace',
    'Changed a role',
  ]) {
    await expect(log.getByRole('cell', { name: step, exact: true })).toBeVisible();
  }
  await expect(log.getByRole('row').filter({ hasText: 'Changed a role' })).toContainText(
    'role: member → manager',
  );
});
