import { readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, type request, test, type APIRequestContext } from '@playwright/test';

/**
 * Every route under /w/:slug, discovered from app/routes (so later routes are walked too),
 * requested by someone who is not a member of that workspace: 403 or 404, never a page,
 * never a redirect that confirms anything, never a 500.
 */
function workspaceRoutes(slug: string): string[] {
  return readdirSync('app/routes')
    .filter((file) => file.startsWith('w.$slug') && file.endsWith('.tsx'))
    .map((file) => {
      const segments = file
        .replace(/\.tsx$/, '')
        .split(/\.(?![^[]*\])/) // "audit[.csv]" is one segment
        .filter((segment) => segment !== '_index')
        .map((segment) => segment.replace(/_$/, '').replace(/[[\]]/g, ''))
        .map((segment) =>
          segment === '$slug' ? slug : segment.startsWith('$') ? randomUUID() : segment,
        );
      return `/${segments.join('/')}`;
    });
}

async function signedIn(
  playwright: { request: { newContext: typeof request.newContext } },
  baseURL: string,
  email: string,
): Promise<APIRequestContext> {
  const context = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: {
      'X-Forwarded-For': `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    },
  });
  const response = await context.post('/login', {
    form: { email, password: 'workroom-demo' },
    headers: { Origin: baseURL },
    maxRedirects: 0,
  });
  expect(response.status(), `sign in as ${email}`).toBe(303);
  return context;
}

test('the walk covers every workspace route, with the CSV export and sub-resources', () => {
  const routes = workspaceRoutes('acme');
  expect(routes).toContain('/w/acme');
  expect(routes).toContain('/w/acme/admin/audit.csv');
  expect(
    routes.some((route) => /^\/w\/acme\/admin\/members\/[0-9a-f-]{36}\/role$/.test(route)),
  ).toBe(true);
});

test('a member of another workspace gets 403 or 404 from every route under /w/acme', async ({
  playwright,
  baseURL,
}) => {
  const outsider = await signedIn(playwright, baseURL!, 'owner@globex.test');
  for (const path of workspaceRoutes('acme')) {
    const read = await outsider.get(path, { maxRedirects: 0 });
    expect([403, 404], `GET ${path}`).toContain(read.status());
    const write = await outsider.post(path, {
      form: {
        role: 'owner',
        status: 'active',
        email: 'x@example.test',
        userId: randomUUID(),
        intent: 'delete',
      },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    });
    expect([403, 404, 405], `POST ${path}`).toContain(write.status());
  }
  await outsider.dispose();
});

test('a guest gets 403 from every administration route of their own workspace', async ({
  playwright,
  baseURL,
}) => {
  const guest = await signedIn(playwright, baseURL!, 'guest@acme.test');
  for (const path of workspaceRoutes('acme').filter((route) =>
    route.startsWith('/w/acme/admin/'),
  )) {
    const read = await guest.get(path, { maxRedirects: 0 });
    expect(read.status(), `GET ${path}`).toBe(403);
    const write = await guest.post(path, {
      form: { role: 'owner', status: 'active', userId: randomUUID(), intent: 'delete' },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    });
    expect([403, 405], `POST ${path}`).toContain(write.status());
  }
  await guest.dispose();
});

test('a malformed id in a member’s URL is a 404, not a database error', async ({
  playwright,
  baseURL,
}) => {
  const admin = await signedIn(playwright, baseURL!, 'admin@acme.test');
  expect((await admin.get('/w/acme/admin/members/not-a-uuid', { maxRedirects: 0 })).status()).toBe(
    404,
  );
  expect((await admin.get('/w/acme/admin/divisions/123', { maxRedirects: 0 })).status()).toBe(404);
  await admin.dispose();
});
