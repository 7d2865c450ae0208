import * as OTPAuth from 'otpauth';
import { expect, linkIn, signIn, signUpAndVerify, test } from './fixtures';

const codeFor = (secret: string, stepsAhead = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + stepsAhead * 30_000,
  });

test('two-factor sign-in: set up with an authenticator code, then required at sign-in', async ({
  page,
  submit,
  mailTo,
  visit,
  unique,
}) => {
  const account = {
    name: 'Tomás Two',
    email: `two-${unique}@example.test`,
    password: 'copper kettle meadow',
  };
  await signUpAndVerify(page, { submit, mailTo }, account);

  await visit('/account/two-factor');
  await submit('Set up two-factor sign-in');
  await expect(
    page.getByRole('img', { name: 'QR code to add Workroom to an authenticator app' }),
  ).toBeVisible();
  const secret = (await page.locator('figcaption code').innerText()).replaceAll(' ', '');
  await page.getByLabel('Code', { exact: true }).fill(codeFor(secret));
  await submit('Turn on two-factor sign-in');
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  await expect(page.locator('.recovery-codes li')).toHaveCount(10);

  await submit('Sign out');
  await signIn(page, submit, account.email, account.password);
  await expect(page).toHaveURL('/login/two-factor');
  await page.getByLabel('Code', { exact: true }).fill('123456');
  await submit('Continue');
  await expect(page.getByRole('alert')).toContainText('That code is not correct');
  // The code of the step after the one used at setup: each code works once.
  await page.getByLabel('Code', { exact: true }).fill(codeFor(secret, 1));
  await submit('Continue');
  await expect(page).toHaveURL('/workspaces/new');
  await expect(page.getByRole('link', { name: 'Tomás Two' })).toBeVisible();
});

test('a forgotten password is reset from the emailed link, which works once', async ({
  page,
  submit,
  mailTo,
  visit,
  unique,
}) => {
  const account = {
    name: 'Rita Reset',
    email: `reset-${unique}@example.test`,
    password: 'granite swallow field',
  };
  await signUpAndVerify(page, { submit, mailTo }, account);
  await submit('Sign out');

  await visit('/forgot-password');
  await page.getByLabel('Email address').fill(account.email);
  await submit('Send the link');
  await expect(page.getByRole('status')).toContainText(`If ${account.email} has an account`);
  const link = linkIn(
    (await mailTo(account.email, /Reset your Workroom password/)).text,
    '/reset-password/',
  );

  await visit(link);
  await page.getByLabel('New password', { exact: true }).fill('harbour lantern spruce');
  await page.getByLabel('Confirm the new password').fill('harbour lantern spruce');
  await submit('Save the new password');
  await expect(page).toHaveURL('/login');
  await expect(page.getByRole('status')).toContainText('Your password has been changed');

  await signIn(page, submit, account.email, 'harbour lantern spruce');
  await expect(page).toHaveURL('/workspaces/new');

  const again = await page.goto(link);
  expect(again?.status()).toBe(410);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link no longer works');
});
