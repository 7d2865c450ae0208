import { readFileSync } from 'node:fs';
import { expect, signIn, test } from './fixtures';

test('an owner downloads the audit log as CSV, and anyone their own data as JSON', async ({
  page,
  submit,
  visit,
}) => {
  await signIn(page, submit, 'owner@acme.test');
  await visit('/w/acme/admin/audit');
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export as CSV' }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/^audit-acme-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = readFileSync((await csv.path())!, 'utf8').split('\r\n');
  expect(rows[0]).toBe('\uFEFFtime_utc,actor,action,action_label,target,ip,user_agent,details');
  expect(rows.some((row) => row.includes('member.joined'))).toBe(true);

  await visit('/account/data');
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download my data' }).click(),
  ]);
  expect(json.suggestedFilename()).toMatch(/^workroom-data-\d{4}-\d{2}-\d{2}\.json$/);
  const archive = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(archive.account.profile.email).toBe('owner@acme.test');
  expect(archive.workspaces).toEqual([expect.objectContaining({ slug: 'acme', role: 'owner' })]);
});
