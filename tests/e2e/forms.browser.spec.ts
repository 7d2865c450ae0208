import { expect, test } from './fixtures';

/** A failed form answers 422, leads with an error summary linked to each field, keeps what was typed (never a password) and changes nothing. */
test('a failed sign-up explains every problem and keeps what was typed', async ({
  page,
  visit,
  submit,
  unique,
}) => {
  await visit('/signup');
  await page.getByLabel('Full name').fill('Nina');
  await page.getByLabel('Email address').fill(`nina-${unique}@example`);
  await page.getByLabel('New password', { exact: true }).fill('short');
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await submit('Create account');
  expect((await response).status()).toBe(422);

  const summary = page.getByRole('alert');
  await expect(summary.getByRole('heading')).toHaveText('There is a problem');
  await expect(summary).toBeFocused();
  await expect(
    summary.getByRole('link', { name: /Enter an email address in the right format/ }),
  ).toHaveAttribute('href', '#sign-up-email');
  await expect(summary.getByRole('link', { name: /at least 10 characters/ })).toHaveAttribute(
    'href',
    '#sign-up-password',
  );
  await expect(page.getByLabel('Email address')).toHaveValue(`nina-${unique}@example`);
  await expect(page.getByLabel('Email address')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Email address')).toHaveAccessibleDescription(
    /Error: Enter an email address in the right format/,
  );
  await expect(page.getByLabel('Full name')).toHaveValue('Nina');
  await expect(page.getByLabel('New password')).toHaveValue('');
});

test('a wrong password is refused without saying whether the address exists', async ({
  page,
  visit,
  submit,
}) => {
  for (const email of ['owner@acme.test', 'nobody-here@acme.test']) {
    await visit('/login');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    const response = page.waitForResponse((r) => r.request().method() === 'POST');
    await submit('Sign in');
    expect((await response).status()).toBe(422);
    await expect(page.getByRole('alert')).toContainText(
      'The email address or password is not correct',
    );
    await expect(page.getByLabel('Email address')).toHaveValue(email);
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  }
});

test('the pages speak Spanish to a Spanish browser, and the language can be switched', async ({
  browser,
  javaScript,
  unique,
}) => {
  const context = await browser.newContext({
    locale: 'es-ES',
    javaScriptEnabled: javaScript,
    extraHTTPHeaders: { 'X-Forwarded-For': `10.9.${parseInt(unique.slice(0, 2), 16)}.1` },
  });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Iniciar sesión');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await context.close();
});

test('pages fit a 320-pixel-wide phone without sideways scrolling', async ({
  browser,
  javaScript,
  unique,
}) => {
  const context = await browser.newContext({
    viewport: { width: 320, height: 640 },
    javaScriptEnabled: javaScript,
    extraHTTPHeaders: { 'X-Forwarded-For': `10.8.${parseInt(unique.slice(0, 2), 16)}.2` },
  });
  const page = await context.newPage();
  for (const path of ['/login', '/signup', '/forgot-password']) {
    await page.goto(path);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await page.goto('/login');
  await page.getByLabel('Email address').fill('admin@acme.test');
  await page.getByLabel('Password', { exact: true }).fill('workroom-demo');
  await Promise.all([
    page.waitForURL('**/w/acme'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  for (const path of ['/w/acme', '/w/acme/admin/members', '/w/acme/admin/audit', '/account']) {
    await page.goto(path);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await context.close();
});
