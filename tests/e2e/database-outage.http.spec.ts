import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../../app/platform/db/embedded-postgres.server';

/**
 * The database goes away and comes back: meanwhile pages say so with a translated 503 and
 * /healthz answers 503; afterwards the same process serves again, without a restart.
 * This test runs its own server against its own Postgres, which it stops and starts.
 */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const started = Date.now();
  while (!(await check().catch(() => false))) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('pages answer 503 while Postgres is down and recover when it returns', async ({
  playwright,
}) => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'workroom-outage-'));
  const [databasePort, appPort] = [await freePort(), await freePort()];
  const baseURL = `http://127.0.0.1:${appPort}`;
  let database: EmbeddedDatabase | undefined;
  let server: ChildProcess | undefined;
  try {
    database = await startEmbeddedPostgres({ dataDir, port: databasePort, durable: false });
    server = spawn(process.execPath, ['scripts/workroom.js', 'serve'], {
      env: {
        ...process.env,
        PORT: String(appPort),
        APP_URL: baseURL,
        DATA_DIR: dataDir,
        DATABASE_URL: database.appUrl,
        DATABASE_OWNER_URL: database.ownerUrl,
        NODE_ENV: 'test',
        LOG_LEVEL: 'fatal',
      },
      stdio: 'ignore',
    });
    const http = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { 'Accept-Language': 'es' },
    });
    // A first start creates, migrates and seeds a database (the demo now has tasks and their
    // mail): on a loaded 2-core machine that can take longer than a restart's 30 seconds.
    await until(async () => (await http.get('/healthz')).ok(), 120_000);
    const signIn = await http.post('/login', {
      form: { email: 'owner@acme.test', password: 'workroom-demo' },
      headers: { Origin: baseURL },
      maxRedirects: 0,
    });
    expect(signIn.status()).toBe(303);
    expect((await http.get('/w/acme')).status()).toBe(200);

    await database.stop();
    const health = await http.get('/healthz');
    expect(health.status()).toBe(503);
    expect(await health.json()).toEqual({ status: 'database unavailable' });
    const page = await http.get('/w/acme');
    expect(page.status()).toBe(503);
    expect(page.headers()['retry-after']).toBe('5');
    expect(await page.text()).toContain('Workroom no está disponible por un momento');

    database = await startEmbeddedPostgres({ dataDir, port: databasePort, durable: false });
    await until(async () => (await http.get('/healthz')).ok());
    expect((await http.get('/w/acme')).status()).toBe(200);
    expect(server.exitCode).toBeNull();
    await http.dispose();
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
