import { expect, test } from '@playwright/test';

/** What every response promises, checked over real HTTP against the built server. */
test.describe('the HTTP surface', () => {
  test('pages carry the security headers and a request id, and no inline script or style', async ({
    request,
  }) => {
    const response = await request.get('/login');
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    );
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'x-frame-options': 'DENY',
    });
    expect(headers['permissions-policy']).toContain('camera=()');
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    expect(html.match(/<script /g)).toHaveLength(3);
  });

  test('serves its assets under content-hashed names, cached for a year', async ({ request }) => {
    const html = await (await request.get('/login')).text();
    const urls = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      const asset = await request.get(url, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(asset.status(), url).toBe(200);
      expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect((await request.get('/assets/app.0000000000.css')).status()).toBe(404);
  });

  test('answers /healthz and /metrics', async ({ request }) => {
    const health = await request.get('/healthz');
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    await request.get('/login');
    const metrics = await (await request.get('/metrics')).text();
    expect(metrics).toContain(
      'workroom_http_request_duration_seconds_bucket{le="0.005",method="GET",route="routes/login",status="200"}',
    );
    expect(metrics).toMatch(/workroom_sse_streams_open \d+/);
    expect(metrics).toMatch(/workroom_db_pool_connections\{state="max"\} 10/);
    expect(metrics).toMatch(/workroom_jobs\{state="pending"\} \d+/);
  });

  test('answers unknown pages with a translated 404', async ({ request }) => {
    const english = await request.get('/no/such/page');
    expect(english.status()).toBe(404);
    expect(await english.text()).toContain('Page not found');
    const spanish = await request.get('/no/such/page', {
      headers: { 'Accept-Language': 'es-AR,es;q=0.9' },
    });
    expect(spanish.status()).toBe(404);
    expect(await spanish.text()).toContain('Página no encontrada');
  });

  test('answers malformed requests with 4xx pages, never a 500', async ({ request }) => {
    expect((await request.get('/w/%E0%A4%A')).status()).toBe(400);
    expect(
      (await request.post('/dev/mail', { headers: { Origin: 'http://127.0.0.1:3210' } })).status(),
    ).toBe(405);
    const garbage = await request.post('/login', {
      headers: {
        Origin: 'http://127.0.0.1:3210',
        'Content-Type': 'multipart/form-data; boundary=x',
      },
      data: 'not multipart',
    });
    expect(garbage.status()).toBe(400);
    const huge = await request.post('/login', {
      headers: {
        Origin: 'http://127.0.0.1:3210',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      data: `email=${'a'.repeat(2 * 1024 * 1024)}`,
    });
    expect(huge.status()).toBe(413);
  });

  test('refuses a state-changing request from another site', async ({ request }) => {
    const forged = await request.post('/logout', { headers: { Origin: 'https://evil.example' } });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('You do not have permission');
    const fetchMetadata = await request.post('/logout', {
      headers: { 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(fetchMetadata.status()).toBe(403);
    const unproven = await request.post('/logout');
    expect(unproven.status()).toBe(403);
    const sameOrigin = await request.post('/logout', {
      headers: { 'Sec-Fetch-Site': 'same-origin' },
      maxRedirects: 0,
    });
    expect(sameOrigin.status()).toBe(303);
  });
});

test('too many sign-in attempts for one address get a 429 page that says when to try again', async ({
  playwright,
  baseURL,
}) => {
  const http = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { 'X-Forwarded-For': '10.200.1.1' },
  });
  // An address of its own: the lock lasts 15 minutes, and other tests sign in as the demo people
  // (the limit counts an address whether or not it has an account).
  const attempt = () =>
    http.post('/login', {
      form: { email: 'locked-out@acme.test', password: 'guessing wrong' },
      headers: { Origin: baseURL! },
    });
  for (let count = 0; count < 10; count++) expect((await attempt()).status()).toBe(422);
  const refused = await attempt();
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(800);
  const body = await refused.text();
  expect(body).toContain('Too many attempts');
  expect(body).toMatch(/You can try again in 1[45] minutes/);
  await http.dispose();
});

test('a token with line breaks in a link is refused without breaking the response', async ({
  playwright,
  baseURL,
}) => {
  const http = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { 'X-Forwarded-For': '10.200.2.2' },
  });
  const response = await http.post('/verify-email/abc%0D%0ALocation:%20https:%2F%2Fevil.example', {
    headers: { Origin: baseURL! },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(303);
  expect(response.headers()['location']).toBe(
    '/verify-email/abc%0D%0ALocation%3A%20https%3A%2F%2Fevil.example',
  );
  await http.dispose();
});

test('metrics answer only the private network', async ({ playwright, baseURL }) => {
  const internet = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.9' },
  });
  expect((await internet.get('/metrics')).status()).toBe(404);
  await internet.dispose();
  const privateNetwork = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { 'X-Forwarded-For': 'fdaa:0:1::3' },
  });
  expect((await privateNetwork.get('/metrics')).status()).toBe(200);
  await privateNetwork.dispose();
});
