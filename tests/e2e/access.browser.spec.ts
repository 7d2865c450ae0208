import { expect, signIn, test } from './fixtures';

test('a guest can enter the workspace but not its administration', async ({
  page,
  submit,
  visit,
}) => {
  await signIn(page, submit, 'guest@acme.test');
  await visit('/w/acme');
  // A guest works inside the projects and conversations they were invited to, and nothing of
  // the administration.
  await expect(page.getByRole('navigation', { name: 'Acme' }).getByRole('link')).toHaveText([
    'Home',
    'My tasks',
    'Projects',
    /^Chat/,
    /^Notifications/,
  ]);
  for (const path of ['/w/acme/admin/members', '/w/acme/admin/audit', '/w/acme/admin/settings']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      'You do not have permission to do that',
    );
  }
});

test('someone from another workspace finds nothing there', async ({ page, submit, visit }) => {
  await signIn(page, submit, 'owner@globex.test');
  await visit('/w/globex');
  const response = await page.goto('/w/acme');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Página no encontrada');
});

test('a signed-out visitor is sent to sign in and brought back', async ({ page, submit }) => {
  await page.goto('/w/acme/admin/members');
  await expect(page).toHaveURL('/login?redirectTo=%2Fw%2Facme%2Fadmin%2Fmembers');
  await page.getByLabel('Email address').fill('admin@acme.test');
  await page.getByLabel('Password', { exact: true }).fill('workroom-demo');
  await submit('Sign in');
  await expect(page).toHaveURL('/w/acme/admin/members');
});
